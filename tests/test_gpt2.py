"""
Tests of gpt2.py: the model against an independent numpy GPT-2, the checkpoint loader against
safetensors files written here, and the extras Coconut needs (KV cache, padding, embeddings
input, logits at chosen positions, growing the vocabulary, gradients through the cache).

Everything runs on the CPU with tiny random models; the download test serves its checkpoint from
a local http.server, so no test touches the network.
"""

import http.server
import json
import math
import socket
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import gpt2  # noqa: E402
from gpt2 import GPT, GPTConfig  # noqa: E402

TINY = dict(n_layer=2, n_head=2, n_embd=32, vocab_size=101, block_size=64)


# -----------------------------------------------------------------------------
# a tiny GPT-2 checkpoint in Hugging Face's layout, written without gpt2.py


def random_hf_weights(n_layer, n_embd, vocab_size, block_size, seed=0):
    """{HF tensor name: float32 array}; Conv1D weights stored (in, out) as in HF checkpoints."""
    rng = np.random.default_rng(seed)
    C = n_embd

    def w(*shape, std=0.1):  # stds are for width 32; wider models get 1/sqrt(width) smaller ones
        return (rng.standard_normal(shape) * std * math.sqrt(32 / C)).astype(np.float32)

    t = {"wte.weight": w(vocab_size, C, std=0.5), "wpe.weight": w(block_size, C, std=0.3)}
    for i in range(n_layer):
        p = f"h.{i}."
        t[p + "ln_1.weight"] = 1 + w(C)
        t[p + "ln_1.bias"] = w(C)
        t[p + "attn.c_attn.weight"] = w(C, 3 * C, std=0.3)
        t[p + "attn.c_attn.bias"] = w(3 * C)
        t[p + "attn.c_proj.weight"] = w(C, C, std=0.2)
        t[p + "attn.c_proj.bias"] = w(C)
        t[p + "ln_2.weight"] = 1 + w(C)
        t[p + "ln_2.bias"] = w(C)
        t[p + "mlp.c_fc.weight"] = w(C, 4 * C, std=0.2)
        t[p + "mlp.c_fc.bias"] = w(4 * C)
        t[p + "mlp.c_proj.weight"] = w(4 * C, C, std=0.1)
        t[p + "mlp.c_proj.bias"] = w(C)
    t["ln_f.weight"] = 1 + w(C)
    t["ln_f.bias"] = w(C)
    return t


def to_bf16_bits(a):
    """float32 array -> uint16 bfloat16 bits, rounding to nearest even."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16_bits(b):
    return (b.astype(np.uint32) << 16).view(np.float32)


def as_stored(tensors, dtype):
    """The float32 values a reader gets back after storing `tensors` as `dtype`."""
    if dtype == "F16":
        return {k: v.astype(np.float16).astype(np.float32) for k, v in tensors.items()}
    if dtype == "BF16":
        return {k: from_bf16_bits(to_bf16_bits(v)) for k, v in tensors.items()}
    return tensors


def write_safetensors(path, tensors, dtype="F32"):
    """Header length (8 bytes, little-endian), JSON header, then the raw little-endian arrays."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in tensors.items():
        if dtype == "F32":
            raw = np.ascontiguousarray(a, dtype="<f4").tobytes()
        elif dtype == "F16":
            raw = np.ascontiguousarray(a, dtype="<f2").tobytes()
        else:  # BF16
            raw = to_bf16_bits(a).astype("<u2").tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)  # the format pads the header to a multiple of 8 with spaces
    Path(path).write_bytes(len(head).to_bytes(8, "little") + head + b"".join(blobs))


def write_hf_folder(folder, tensors, n_layer, n_head, n_embd, vocab_size, block_size, dtype="F32"):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": n_layer,
              "n_head": n_head, "n_embd": n_embd, "n_positions": block_size,
              "n_ctx": block_size, "vocab_size": vocab_size, "layer_norm_epsilon": 1e-5,
              "activation_function": "gelu_new"}
    (folder / "config.json").write_text(json.dumps(config))
    write_safetensors(folder / "model.safetensors", tensors, dtype)
    return folder


# -----------------------------------------------------------------------------
# GPT-2 from first principles in numpy (float64), the reference


def gelu(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layer_norm(x, g, b, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return g * (x - mean) / np.sqrt(var + eps) + b


def linear(x, w, b):  # w is (in, out), as Conv1D stores it
    return x @ w + b


def attention(q, k, v, causal):  # (T, hs) each
    return softmax(q @ k.T / math.sqrt(q.shape[-1]) + causal) @ v


def mha(x, w_attn, b_attn, w_proj, b_proj, n_head):
    T = x.shape[0]
    q, k, v = np.split(linear(x, w_attn, b_attn), 3, axis=-1)
    causal = (1 - np.tri(T)) * -1e10  # forbid attending to later positions
    heads = [attention(qh, kh, vh, causal) for qh, kh, vh in
             zip(np.split(q, n_head, axis=-1), np.split(k, n_head, axis=-1), np.split(v, n_head, axis=-1))]
    return linear(np.hstack(heads), w_proj, b_proj)


def reference_logits(t, ids, n_layer, n_head):
    """(T,) token ids -> (T, V) logits of the GPT-2 with weights t (HF names, float64)."""
    t = {k: v.astype(np.float64) for k, v in t.items()}
    x = t["wte.weight"][ids] + t["wpe.weight"][np.arange(len(ids))]
    for i in range(n_layer):
        p = f"h.{i}."
        x = x + mha(layer_norm(x, t[p + "ln_1.weight"], t[p + "ln_1.bias"]),
                    t[p + "attn.c_attn.weight"], t[p + "attn.c_attn.bias"],
                    t[p + "attn.c_proj.weight"], t[p + "attn.c_proj.bias"], n_head)
        h = gelu(linear(layer_norm(x, t[p + "ln_2.weight"], t[p + "ln_2.bias"]),
                        t[p + "mlp.c_fc.weight"], t[p + "mlp.c_fc.bias"]))
        x = x + linear(h, t[p + "mlp.c_proj.weight"], t[p + "mlp.c_proj.bias"])
    x = layer_norm(x, t["ln_f.weight"], t["ln_f.bias"])
    return x @ t["wte.weight"].T  # the LM head is tied to the token embedding


def assert_matches_reference(model, weights, n_layer, n_head, n_ids=12, seed=1):
    vocab = weights["wte.weight"].shape[0]
    ids = np.random.default_rng(seed).integers(0, vocab, size=(2, n_ids))
    with torch.no_grad():
        logits = model(torch.from_numpy(ids))[0]
    assert logits.shape == (2, n_ids, vocab)
    for row in range(2):
        expected = reference_logits(weights, ids[row], n_layer, n_head)
        assert np.abs(logits[row].double().numpy() - expected).max() <= 1e-4


# -----------------------------------------------------------------------------
# loading checkpoints: logits equal the numpy reference


@pytest.mark.parametrize("dtype", ["F32", "F16", "BF16"])
def test_loaded_checkpoint_matches_numpy_reference(tmp_path, dtype):
    weights = random_hf_weights(2, 32, 101, 64)
    folder = write_hf_folder(tmp_path / "ckpt", weights, dtype=dtype, **TINY)
    model = GPT.from_pretrained(folder)
    assert model.config == GPTConfig(**TINY)
    assert_matches_reference(model, as_stored(weights, dtype), 2, 2)


def test_lm_head_model_names_with_transformer_prefix_load_the_same(tmp_path):
    # as saved from GPT2LMHeadModel: "transformer." prefixes, an explicit lm_head, attn mask buffers
    weights = random_hf_weights(2, 32, 101, 64)
    saved = {"transformer." + k: v for k, v in weights.items()}
    saved["lm_head.weight"] = weights["wte.weight"]
    for i in range(2):
        saved[f"transformer.h.{i}.attn.bias"] = np.tril(np.ones((1, 1, 64, 64), np.float32))
    model = GPT.from_pretrained(write_hf_folder(tmp_path / "ckpt", saved, **TINY))
    assert model.lm_head.weight is model.transformer.wte.weight
    assert_matches_reference(model, weights, 2, 2)


def test_bare_file_of_released_width_loads_without_config(tmp_path):
    # width 768 is GPT-2 small's, so n_head=12 is known; depth, vocab and context come from shapes
    weights = random_hf_weights(1, 768, 50, 16, seed=3)
    path = tmp_path / "small.safetensors"
    write_safetensors(path, weights)
    model = GPT.from_pretrained(str(path))
    c = model.config
    assert (c.n_layer, c.n_head, c.n_embd, c.vocab_size, c.block_size) == (1, 12, 768, 50, 16)
    assert_matches_reference(model, weights, 1, 12, n_ids=8)


def test_bare_file_of_unknown_width_asks_for_config_json(tmp_path):
    path = tmp_path / "odd.safetensors"
    write_safetensors(path, random_hf_weights(2, 32, 101, 64))
    with pytest.raises(ValueError, match="config.json") as e:
        GPT.from_pretrained(path)
    assert "odd.safetensors" in str(e.value)


def test_unknown_name_or_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="gpt2-medium"):
        GPT.from_pretrained(str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        GPT.from_pretrained(tmp_path / "empty")


# -----------------------------------------------------------------------------
# loading errors name the tensor at fault


def test_missing_tensor_is_named(tmp_path):
    weights = random_hf_weights(2, 32, 101, 64)
    del weights["h.1.mlp.c_fc.bias"]
    with pytest.raises(ValueError, match=r"h\.1\.mlp\.c_fc\.bias") as e:
        GPT.from_pretrained(write_hf_folder(tmp_path / "ckpt", weights, **TINY))
    assert "model.safetensors" in str(e.value)


def test_wrong_shape_is_named(tmp_path):
    weights = random_hf_weights(2, 32, 101, 64)
    weights["h.0.attn.c_proj.weight"] = weights["h.0.attn.c_proj.weight"][:, :16]
    with pytest.raises(ValueError, match=r"h\.0\.attn\.c_proj\.weight.*\(32, 16\)"):
        GPT.from_pretrained(write_hf_folder(tmp_path / "ckpt", weights, **TINY))


def test_truncated_file_is_a_clear_error(tmp_path):
    folder = write_hf_folder(tmp_path / "ckpt", random_hf_weights(2, 32, 101, 64), **TINY)
    path = folder / "model.safetensors"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="outside the file"):
        GPT.from_pretrained(folder)


# -----------------------------------------------------------------------------
# download into the cache, from a local server


class Server:
    """Serves {url path: bytes} on 127.0.0.1; `cut` bytes of each body are withheld (the
    Content-Length still announces the whole body), as when a connection drops mid-download."""

    def __init__(self, files, cut=0):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:len(body) - cut])

            def log_message(self, *args):
                pass

        self.requests = 0
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def tiny_release(tmp_path, monkeypatch):
    """A tiny "released" model gpt2-tiny-test: its checkpoint bytes and weights; cache in tmp."""
    monkeypatch.setitem(gpt2.PRETRAINED, "gpt2-tiny-test", dict(TINY))
    monkeypatch.setenv("COCONUT_CACHE", str(tmp_path / "cache"))
    weights = random_hf_weights(2, 32, 101, 64)
    write_safetensors(tmp_path / "release.safetensors", weights)
    return (tmp_path / "release.safetensors").read_bytes(), weights


RELEASE_PATH = "/openai-community/gpt2-tiny-test/resolve/main/model.safetensors"


def cache_contents(tmp_path):
    return sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file())


def test_download_fills_cache_then_loads_offline(tmp_path, monkeypatch, tiny_release):
    body, weights = tiny_release
    server = Server({RELEASE_PATH: body})
    monkeypatch.setattr(gpt2, "HF_ENDPOINT", server.url)
    try:
        model = GPT.from_pretrained("gpt2-tiny-test")
    finally:
        server.close()
    assert server.requests == 1
    assert (tmp_path / "cache" / "gpt2-tiny-test" / "model.safetensors").read_bytes() == body
    assert cache_contents(tmp_path) == ["model.safetensors"]  # no temporary file left behind
    assert_matches_reference(model, weights, 2, 2)
    # server gone: the second call must come from the cache
    again = GPT.from_pretrained("gpt2-tiny-test")
    assert_matches_reference(again, weights, 2, 2)


def test_download_into_explicit_cache_dir(tmp_path, monkeypatch, tiny_release):
    body, _ = tiny_release
    server = Server({RELEASE_PATH: body})
    monkeypatch.setattr(gpt2, "HF_ENDPOINT", server.url)
    try:
        path = gpt2.download_pretrained("gpt2-tiny-test", cache_dir=tmp_path / "elsewhere")
    finally:
        server.close()
    assert path == tmp_path / "elsewhere" / "gpt2-tiny-test" / "model.safetensors"
    assert path.read_bytes() == body
    assert not (tmp_path / "cache").exists()


def test_cut_off_download_leaves_nothing_in_cache(tmp_path, monkeypatch, tiny_release):
    body, _ = tiny_release
    server = Server({RELEASE_PATH: body}, cut=1000)
    monkeypatch.setattr(gpt2, "HF_ENDPOINT", server.url)
    try:
        with pytest.raises((ValueError, RuntimeError), match="incomplete"):
            GPT.from_pretrained("gpt2-tiny-test")
    finally:
        server.close()
    assert cache_contents(tmp_path) == []


def test_corrupt_download_leaves_nothing_in_cache(tmp_path, monkeypatch, tiny_release):
    body, _ = tiny_release
    # a complete transfer of a file whose arrays run past its end (e.g. a truncated mirror copy)
    server = Server({RELEASE_PATH: body[:len(body) // 2]})
    monkeypatch.setattr(gpt2, "HF_ENDPOINT", server.url)
    try:
        with pytest.raises((ValueError, RuntimeError), match="outside the file"):
            GPT.from_pretrained("gpt2-tiny-test")
        # nothing was cached, so a second try downloads again
        with pytest.raises((ValueError, RuntimeError), match="outside the file"):
            GPT.from_pretrained("gpt2-tiny-test")
    finally:
        server.close()
    assert server.requests == 2
    assert cache_contents(tmp_path) == []


def test_unreachable_server_says_how_to_use_a_local_file(tmp_path, monkeypatch, tiny_release):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(gpt2, "HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(RuntimeError, match=r"from_pretrained\('/path/to/model.safetensors'\)"):
        GPT.from_pretrained("gpt2-tiny-test")
    assert cache_contents(tmp_path) == []


# -----------------------------------------------------------------------------
# the extras Coconut needs


def tiny_model(seed=0):
    torch.manual_seed(seed)
    model = GPT(GPTConfig(**TINY))
    # larger than GPT-2's init so that attention patterns differ clearly between positions
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    return model.eval()


def test_model_returns_logits_hidden_and_cache():
    model = tiny_model()
    ids = torch.randint(0, 101, (3, 10))
    logits, hidden, kv = model(ids)
    assert logits.shape == (3, 10, 101)
    assert hidden.shape == (3, 10, 32)
    assert len(kv) == 2 and kv[0][0].shape == (3, 2, 10, 16) and kv[0][1].shape == (3, 2, 10, 16)
    # the hidden state is what the tied head reads
    assert torch.allclose(logits, hidden @ model.transformer.wte.weight.T, atol=1e-5)


def test_embeddings_input_equals_token_ids():
    model = tiny_model()
    ids = torch.randint(0, 101, (2, 9))
    with torch.no_grad():
        from_ids = model(ids)[0]
        from_embeds = model(embeds=model.embed(ids))[0]
    assert torch.equal(from_ids, from_embeds)
    with pytest.raises(AssertionError):
        model(ids, embeds=model.embed(ids))


def prev_tokens_model(K=3):
    """A tiny model with prev_tokens = K, whose vocabulary holds <|endoftext|> (gpt2.EOS_ID)."""
    torch.manual_seed(0)
    config = GPTConfig(**{**TINY, "vocab_size": gpt2.EOS_ID + 5, "prev_tokens": K})
    model = GPT(config)
    torch.nn.init.normal_(model.transformer.prev.weight, std=0.5)  # large, so that it shows
    return model.eval()


def test_prev_tokens_input_sees_exactly_the_k_tokens_before():
    model = prev_tokens_model(K=3)
    ids = torch.randint(0, 1000, (2, 12))
    with torch.no_grad():
        x = model.embed(ids)  # (2, 12, 32)
        # the definition, position by position: token t plus prev([e(t-1), e(t-2), e(t-3)]),
        # with <|endoftext|> before the first token
        padded = torch.cat([torch.full((2, 3), gpt2.EOS_ID), ids], dim=1)
        wte = model.transformer.wte
        for t in range(12):
            earlier = torch.cat([wte(padded[:, 3 + t - k]) for k in (1, 2, 3)], dim=-1)  # (2, 3 * 32)
            assert torch.allclose(x[:, t], wte(ids[:, t]) + model.transformer.prev(earlier), atol=1e-6)
        # a continuation given the ids before it is the same as embedding the whole sequence
        assert torch.allclose(model.window(wte(ids[:, 7:]), before=wte(ids[:, 4:7])), x[:, 7:], atol=1e-6)
        assert torch.allclose(model.window(wte(ids[:, 7:]), before=wte(ids[:, :7])), x[:, 7:], atol=1e-6)
        # with fewer than K inputs before, the rest read <|endoftext|>, as at the start
        assert torch.allclose(model.window(wte(ids[:, 1:]), before=wte(ids[:, :1])), x[:, 1:], atol=1e-6)
        # the window reads the inputs as given: a vector that is no token's embedding (a thought)
        # enters it as it is
        v = torch.randn(2, 1, 32)
        seq = torch.cat([wte(ids[:, :5]), v, wte(ids[:, 6:])], dim=1)  # (2, 12, 32)
        y = model.window(seq)
        assert torch.allclose(y[:, 8], seq[:, 8] + model.transformer.prev(
            torch.cat([seq[:, 7], seq[:, 6], v[:, 0]], dim=-1)), atol=1e-6)
        # changing a token 4 or more positions back changes nothing
        other = ids.clone()
        other[:, 2] = (other[:, 2] + 1) % 1000
        assert torch.equal(model.embed(other)[:, 6:], x[:, 6:])
        assert not torch.allclose(model.embed(other)[:, 5], x[:, 5])


def test_prev_tokens_zero_is_plain_gpt2_and_bad_uses_are_errors():
    model = tiny_model()
    assert not hasattr(model.transformer, "prev")
    ids = torch.randint(0, 101, (2, 5))
    assert torch.equal(model.embed(ids), model.transformer.wte(ids))
    with pytest.raises(ValueError, match="prev_tokens needs"):
        GPT(GPTConfig(**{**TINY, "prev_tokens": 2}))  # 101 tokens: no <|endoftext|>
    model = prev_tokens_model()
    ids = torch.randint(0, 1000, (2, 6))
    _, _, kv = model(ids[:, :4])
    with pytest.raises(ValueError, match="embed"):  # a continuation must say what came before
        model(ids[:, 4:], past_kv=kv)


def run_in_chunks(model, cuts, ids=None, embeds=None, pos=None, mask=None):
    """Process positions [0, T) in pieces split at `cuts`, passing the cache along."""
    T = (ids if ids is not None else embeds).shape[1]
    bounds = [0, *cuts, T]
    kv, outs = None, []
    for a, b in zip(bounds, bounds[1:]):
        logits, _, kv = model(
            idx=None if ids is None else ids[:, a:b],
            embeds=None if embeds is None else embeds[:, a:b],
            pos=None if pos is None else pos[:, a:b],
            mask=None if mask is None else mask[:, :b],
            past_kv=kv)
        outs.append(logits)
    return torch.cat(outs, dim=1)


def test_kv_cached_chunks_equal_one_full_pass():
    model = tiny_model()
    ids = torch.randint(0, 101, (2, 20))
    with torch.no_grad():
        full = model(ids)[0]
        chunked = run_in_chunks(model, [7, 8], ids=ids)  # chunks of 7, 1 and 12 positions
    assert torch.allclose(chunked, full, atol=1e-5)


def test_kv_cached_chunks_equal_one_full_pass_with_embeddings_input():
    model = tiny_model()
    embeds = torch.randn(2, 20, 32)
    with torch.no_grad():
        full = model(embeds=embeds)[0]
        chunked = run_in_chunks(model, [5, 13], embeds=embeds)
    assert torch.allclose(chunked, full, atol=1e-5)


def padded_batch(rows, T, left):
    """Pad token-id rows to length T; position ids count real tokens only."""
    ids = torch.zeros(len(rows), T, dtype=torch.long)
    mask = torch.zeros(len(rows), T, dtype=torch.bool)
    for i, r in enumerate(rows):
        span = slice(T - len(r), T) if left else slice(0, len(r))
        ids[i, span] = torch.tensor(r)
        mask[i, span] = True
    pos = (mask.long().cumsum(dim=1) - 1).clamp(min=0)  # (B, T): 0 on left padding
    return ids, pos, mask


@pytest.mark.parametrize("left", [True, False], ids=["left-padded", "right-padded"])
def test_padded_rows_equal_each_row_alone(left):
    model = tiny_model()
    g = torch.Generator().manual_seed(0)
    rows = [torch.randint(1, 101, (n,), generator=g).tolist() for n in (12, 5, 9)]
    ids, pos, mask = padded_batch(rows, 12, left)
    with torch.no_grad():
        batch = model(ids, pos=pos, mask=mask)[0]
        chunked = run_in_chunks(model, [4, 7], ids=ids, pos=pos, mask=mask)
        for i, r in enumerate(rows):
            alone = model(torch.tensor([r]))[0][0]
            assert torch.allclose(batch[i][mask[i]], alone, atol=1e-5)
            assert torch.allclose(chunked[i][mask[i]], alone, atol=1e-5)


def test_padding_is_not_attended():
    # changing the token under a padding slot must not change any real position's logits
    model = tiny_model()
    ids, pos, mask = padded_batch([[5, 6, 7], [8, 9, 10, 11, 12]], 5, left=True)
    other = ids.clone()
    other[0, :2] = torch.tensor([99, 42])
    embeds = model.embed(ids).detach().requires_grad_()
    a = model(embeds=embeds, pos=pos, mask=mask)[0]
    with torch.no_grad():
        b = model(other, pos=pos, mask=mask)[0]
    assert torch.allclose(a[mask], b[mask], atol=1e-6)
    # padding queries see no real key; their outputs (unused) and the gradients stay finite
    assert torch.isfinite(a).all()
    a[mask].sum().backward()
    assert torch.isfinite(embeds.grad).all() and torch.all(embeds.grad[~mask] == 0)


def test_logits_at_equal_full_logits_gathered():
    model = tiny_model()
    ids = torch.randint(0, 101, (3, 10))
    at = torch.tensor([0, 7, 12, 13, 29, 15])  # flat indices into the 3*10 positions
    with torch.no_grad():
        full = model(ids)[0]
        logits, hidden, _ = model(ids, logits_at=at)
    assert logits.shape == (6, 101)
    assert hidden.shape == (3, 10, 32)  # the hidden states still cover every position
    assert torch.allclose(logits, full.reshape(30, 101)[at], atol=1e-6)


def test_too_long_sequence_is_rejected():
    model = tiny_model()
    with pytest.raises(ValueError, match="longer than"):
        model(torch.zeros(1, 65, dtype=torch.long))
    _, _, kv = model(torch.zeros(1, 60, dtype=torch.long))
    with pytest.raises(ValueError, match="longer than"):
        model(torch.zeros(1, 5, dtype=torch.long), past_kv=kv)


def test_gradients_flow_through_the_cache():
    # a loss on the second chunk reaches the embeddings fed in the first chunk, as a
    # continuous thought's loss must reach the thoughts before it; and it is the same gradient
    # as through one full pass
    model = tiny_model()
    ids = torch.randint(0, 101, (2, 6))
    first = torch.randn(2, 4, 32, requires_grad=True)
    _, _, kv = model(embeds=first)
    model(ids, past_kv=kv)[0].square().mean().backward()
    through_cache = first.grad.clone()
    assert through_cache.abs().sum() > 0

    first.grad = None
    full = model(embeds=torch.cat([first, model.embed(ids)], dim=1))[0]
    full[:, 4:].square().mean().backward()
    assert torch.allclose(through_cache, first.grad, atol=1e-6)


# -----------------------------------------------------------------------------
# growing the vocabulary, the optimizer


def test_grow_vocab_keeps_old_logits_and_copies_the_chosen_row():
    model = tiny_model()
    ids = torch.randint(0, 101, (2, 8))
    with torch.no_grad():
        before = model(ids)[0]
        old_wte = model.transformer.wte.weight.clone()
    model.grow_vocab(104, init_from=7)
    assert model.config.vocab_size == 104
    wte = model.transformer.wte.weight
    assert wte.shape == (104, 32)
    assert torch.equal(wte[:101], old_wte)
    assert all(torch.equal(wte[i], old_wte[7]) for i in (101, 102, 103))
    assert model.lm_head.weight is wte  # still tied
    with torch.no_grad():
        after = model(ids)[0]
    assert after.shape == (2, 8, 104)
    assert torch.allclose(after[..., :101], before, atol=1e-6)
    assert torch.allclose(after[..., 101:], after[..., 7:8].expand(-1, -1, 3), atol=1e-6)
    # new tokens are real inputs now, and a training step keeps head and embedding one tensor
    opt = model.configure_optimizer(lr=1e-2, weight_decay=0.1)
    model(torch.tensor([[101, 102, 103]]))[0].sum().backward()
    opt.step()
    assert model.lm_head.weight is model.transformer.wte.weight
    assert not torch.equal(model.transformer.wte.weight[101], old_wte[7])


def test_grow_vocab_rejects_bad_arguments():
    model = tiny_model()
    with pytest.raises(ValueError, match="shrink"):
        model.grow_vocab(100, init_from=0)
    with pytest.raises(ValueError, match="init_from"):
        model.grow_vocab(102, init_from=101)


def test_optimizer_decays_matrices_only_and_covers_every_parameter_once():
    model = tiny_model()
    opt = model.configure_optimizer(lr=1e-3, weight_decay=0.1)
    names = {id(p): n for n, p in model.named_parameters()}  # tied weights appear once
    seen = [id(p) for group in opt.param_groups for p in group["params"]]
    assert sorted(seen) == sorted(names)  # every parameter, exactly once
    decay = {names[id(p)] for g in opt.param_groups if g["weight_decay"] > 0 for p in g["params"]}
    no_decay = {names[id(p)] for g in opt.param_groups if g["weight_decay"] == 0 for p in g["params"]}
    assert all(n.endswith(".bias") or ".ln_" in n for n in no_decay)
    assert decay | no_decay == set(names.values()) and not decay & no_decay
    assert "transformer.h.0.ln_1.weight" in no_decay and "transformer.ln_f.weight" in no_decay
    assert "transformer.h.1.attn.c_attn.bias" in no_decay
    assert {"transformer.wte.weight", "transformer.wpe.weight",
            "transformer.h.0.attn.c_attn.weight", "transformer.h.1.mlp.c_proj.weight"} <= decay
    assert all(p.dim() >= 2 for g in opt.param_groups if g["weight_decay"] > 0 for p in g["params"])


def test_masked_attention_equals_sdpa_with_the_same_mask():
    # the written-out attention of the masked passes against PyTorch's fused definition, values and
    # gradients, on a mask with padding, causality and a cache (T_new < T_all)
    torch.manual_seed(0)
    B, nh, T_past, T_new, hs = 3, 2, 5, 4, 8
    q = torch.randn(B, nh, T_new, hs, dtype=torch.float64, requires_grad=True)
    k = torch.randn(B, nh, T_past + T_new, hs, dtype=torch.float64, requires_grad=True)
    v = torch.randn(B, nh, T_past + T_new, hs, dtype=torch.float64, requires_grad=True)
    mask = torch.ones(B, T_past + T_new, dtype=torch.bool)
    mask[0, :3] = False  # left padding
    mask[2, 6] = False  # a padding slot between real tokens
    m = gpt2.attention_mask(mask, T_new, T_past, "cpu")
    ours = gpt2.masked_attention(q, k, v, m, 0.0)
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m)
    torch.testing.assert_close(ours, ref)
    g = torch.randn_like(ref)
    grads = torch.autograd.grad(ours, (q, k, v), g)
    grads_ref = torch.autograd.grad(ref, (q, k, v), g)
    for a, b in zip(grads, grads_ref):
        torch.testing.assert_close(a, b)


def test_optimizer_step_flagged_found_inf_changes_nothing_and_others_match_plain_adamw():
    # train.py skips a step whose gradient is not finite on the device, through the fused
    # kernel's found_inf; a plain (unfused) AdamW is the reference for the steps taken
    torch.manual_seed(0)
    model, reference = tiny_model(), tiny_model()
    reference.load_state_dict(model.state_dict())
    opt = model.configure_optimizer(lr=1e-2, weight_decay=0.1)
    ref_params = dict(reference.named_parameters())
    ref_opt = torch.optim.AdamW([{"params": [ref_params[n] for n in names], "weight_decay": g["weight_decay"]}
                                 for g, names in zip(opt.param_groups, param_names(model, opt))], lr=1e-2)
    assert opt.param_groups[0]["fused"] and not ref_opt.param_groups[0]["fused"]
    ids = torch.randint(0, 101, (2, 8))
    for step in range(4):
        model(ids)[0].square().mean().backward()
        for n, p in model.named_parameters():  # the same gradients for both
            ref_params[n].grad = p.grad.clone()
        if step == 2:  # a step with a NaN gradient, flagged: weights and moments stay as they are
            before = {n: p.detach().clone() for n, p in model.named_parameters()}
            moments = [{k: v.clone() for k, v in s.items()} for s in opt.state.values()]
            next(model.parameters()).grad.fill_(float("nan"))
            opt.found_inf = torch.ones(())
            opt.step()
            assert all(torch.equal(p, before[n]) for n, p in model.named_parameters())
            assert all(torch.equal(v, m[k]) for s, m in zip(opt.state.values(), moments) for k, v in s.items())
            opt.zero_grad(), reference.zero_grad()
            continue
        opt.found_inf = torch.zeros(())
        opt.step(), ref_opt.step()
        opt.zero_grad(), ref_opt.zero_grad()
    for (n, p), q in zip(model.named_parameters(), reference.parameters()):
        assert torch.allclose(p, q, atol=1e-6), n


def param_names(model, opt):
    names = {id(p): n for n, p in model.named_parameters()}
    return [[names[id(p)] for p in g["params"]] for g in opt.param_groups]
