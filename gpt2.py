"""
GPT-2 in one file, for Coconut.

The model is OpenAI's GPT-2 (Radford et al. 2019): learned position embeddings, pre-LayerNorm
blocks, GELU (tanh approximation), a language-model head tied to the token embedding.
Layout and names follow nanoGPT's model.py and Hugging Face's GPT-2 checkpoints, so
`GPT.from_pretrained("gpt2")` can load OpenAI's weights tensor by tensor.

What Coconut needs beyond a plain GPT-2 forward pass:
  - input *embeddings* instead of token ids (a continuous thought is fed back as an embedding),
  - the final hidden state after the last LayerNorm (that vector *is* the continuous thought),
  - explicit position ids and a padding mask (rows of a batch are aligned by left padding),
  - a key/value cache, so a pass can process only the new positions,
  - logits at chosen positions only (training needs them only where there are labels).
And one option that is not GPT-2, off by default, for models trained from random initialisation:
  - prev_tokens: each position's input also sees the inputs just before it (GPT.window says why).

References: the GPT-2 paper and OpenAI's released code (gpt-2/src/model.py), nanoGPT's model.py,
the safetensors format description (huggingface/safetensors README).
"""

import json
import math
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from torch.nn import functional as F


# -----------------------------------------------------------------------------
# config


@dataclass
class GPTConfig:
    block_size: int = 1024  # maximum sequence length (number of learned positions)
    vocab_size: int = 50257  # GPT-2's BPE vocabulary; Coconut grows it by its special tokens
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    dropout: float = 0.0  # OpenAI's GPT-2 trained with 0.1; 0.0 keeps every pass deterministic
    layer_norm_epsilon: float = 1e-5
    # not GPT-2: > 0 adds the prev_tokens inputs before each position (token embeddings, or
    # continuous thoughts) to its input, each through its own learned matrix (see GPT.window). For models from random
    # initialisation only; OpenAI's checkpoints have prev_tokens = 0.
    prev_tokens: int = 0


EOS_ID = 50256  # GPT-2's <|endoftext|>

# the four released sizes
PRETRAINED = {
    "gpt2": dict(n_layer=12, n_head=12, n_embd=768),  # 124M
    "gpt2-medium": dict(n_layer=24, n_head=16, n_embd=1024),  # 355M
    "gpt2-large": dict(n_layer=36, n_head=20, n_embd=1280),  # 774M
    "gpt2-xl": dict(n_layer=48, n_head=25, n_embd=1600),  # 1558M
}

# -----------------------------------------------------------------------------
# the model


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        assert config.n_embd % config.n_head == 0
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)  # q, k, v for all heads at once
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.resid_dropout = nn.Dropout(config.dropout)
        self.n_head = config.n_head
        self.dropout = config.dropout

    def forward(self, x, attn_mask, past_kv):
        B, T, C = x.size()  # T = number of *new* positions in this call
        q, k, v = self.c_attn(x).split(C, dim=2)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        if past_kv is not None:
            # keys and values of earlier positions come from the cache: (B, nh, T_past + T, hs).
            # torch.cat (not an in-place write into a preallocated buffer) so that gradients
            # can flow back through cached keys/values into earlier continuous thoughts.
            k = torch.cat([past_kv[0], k], dim=2)
            v = torch.cat([past_kv[1], v], dim=2)
        else:
            # contiguous, as torch.cat returns them: the cache then has one memory layout whichever
            # pass made it, and a compiled block (train.compile_blocks) needs one graph, not two
            k, v = k.contiguous(), v.contiguous()
        if attn_mask is None:
            # a plain causal pass without cache or left padding (padding on the right is never
            # looked at): the fused kernel applies the causal mask itself (flash attention on a GPU)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                               dropout_p=self.dropout if self.training else 0.0)
        else:
            y = masked_attention(q, k, v, attn_mask, self.dropout if self.training else 0.0)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # re-assemble the heads
        return self.resid_dropout(self.c_proj(y)), (k, v)


def masked_attention(q, k, v, attn_mask, dropout_p):
    """Attention written out, for the passes that need a mask: q (B, nh, T, hs) over k, v
    (B, nh, T_all, hs); attn_mask (B or 1, 1, T, T_all), True = may attend. Returns (B, nh, T, hs).

    These passes are short (one thought, one generated token, the text after <eot>), so the
    (T, T_all) score matrix is small. With a mask, SDPA on an H100 ran cuDNN's fused kernel,
    whose backward gave NaN gradients in 0.8 to 1.8% of latent-stage steps; written out, no step
    had any (results/2026-11-24-h100-b/README.md). The softmax is taken in float32 at least.
    """
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))  # (B, nh, T, T_all)
    att = att.masked_fill(~attn_mask, float("-inf"))
    att = att.softmax(dim=-1, dtype=torch.promote_types(att.dtype, torch.float32)).to(q.dtype)
    att = F.dropout(att, dropout_p)
    return att @ v  # (B, nh, T, hs)


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        # GPT-2 uses the tanh approximation of GELU
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, attn_mask, past_kv):
        a, kv = self.attn(self.ln_1(x), attn_mask, past_kv)  # pre-LN residual blocks
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, kv


def attention_mask(mask, T_new, T_past, device):
    """The boolean mask of masked_attention, (B or 1, 1, T_new, T_past + T_new); True = may attend.

    A query attends to earlier-or-same positions (causal) that are real tokens (mask). It also
    always attends to itself, so that a padding query never has an empty row (which would give
    NaN); padding outputs are never used.
    """
    if mask is None and T_past == 0:
        return None  # plain causal: let the kernel do it
    q_pos = torch.arange(T_past, T_past + T_new, device=device)[:, None]  # (T_new, 1)
    k_pos = torch.arange(T_past + T_new, device=device)[None, :]  # (1, T_total)
    allowed = k_pos <= q_pos  # (T_new, T_total) causal
    if mask is not None:
        allowed = (allowed & mask[:, None, :]) | (k_pos == q_pos)  # (B, T_new, T_total)
    else:
        allowed = allowed[None]
    return allowed[:, None]  # add the head dimension


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.block_size, config.n_embd),
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # weight tying, as GPT-2
        if config.prev_tokens:
            if config.vocab_size <= EOS_ID:
                raise ValueError(f"prev_tokens needs <|endoftext|> (id {EOS_ID}) in the vocabulary "
                                 f"(vocab_size {config.vocab_size})")
            # (K * C) -> C: the K earlier tokens' embeddings, side by side, mapped into the input
            self.transformer.prev = nn.Linear(config.prev_tokens * config.n_embd, config.n_embd, bias=False)
        self.apply(self._init_weights)
        # GPT-2 scales the init of the projections into the residual stream by 1/sqrt(2 n_layer)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self):
        # tied weights are counted once; position embeddings included
        return sum(p.numel() for p in self.parameters())

    def embed(self, idx):
        """Token ids (B, T) -> input embeddings (B, T, C). Continuous thoughts live in this space."""
        return self.window(self.transformer.wte(idx))

    def window(self, x, before=None):
        """Token-level inputs x (B, T, C) -> the model's inputs: x itself for GPT-2.

        With config.prev_tokens = K > 0 (not GPT-2), position t's input is x[t] plus
        prev(x[t-1], ..., x[t-K]): each position also sees the K inputs before it. Why: looking a
        fact up in the context ("Every shumpus is a" -> what followed "shumpus is a" in the
        question) needs a head that matches what came *before* each earlier position. Pretrained
        GPT-2 has such heads; from random initialisation they form only by composing two
        attention layers, which a lookup toy never learned in 15,000 steps, and learned in 500
        with K = 1 (results/2026-11-25-cpu-prev-tokens/). x[t] is a token's embedding, or a
        continuous thought as it is fed in (coconut.py), so the positions after a thought see the
        thought itself, not the <|latent|> token's embedding (results/2026-11-25-cpu-p6-final/).
        before (B, T0, C): the inputs before x[:, 0], for a call that continues a sequence; the
        last K are used, and positions before the start read <|endoftext|>, the id that pads
        every batch here, so a row reads the same padded or not.
        """
        K, (B, T, C) = self.config.prev_tokens, x.shape
        if K == 0:
            return x
        start = self.transformer.wte.weight[EOS_ID].expand(B, K, C)  # what precedes position 0
        seq = torch.cat([start] + ([] if before is None else [before[:, -K:]]) + [x], dim=1)[:, -(K + T):]
        earlier = [seq[:, K - k:K - k + T] for k in range(1, K + 1)]  # K x (B, T, C)
        return x + self.transformer.prev(torch.cat(earlier, dim=-1))

    def forward(self, idx=None, embeds=None, pos=None, mask=None, past_kv=None, logits_at=None,
                compute_logits=True):
        """One pass over T new positions.

        idx       (B, T) token ids, or
        embeds    (B, T, C) input embeddings (exactly one of idx / embeds)
        pos       (B, T) or (T,) position ids; default: T_past .. T_past + T - 1
        mask      (B, T_past + T) bool, True on real tokens, False on padding (covers cached
                  positions too); None = no padding
        past_kv   the kv returned by an earlier call (a list of (k, v) per layer), or None
        logits_at (N,) flat indices into the B*T new positions: logits only there; None = all
        compute_logits  False skips the LM head (logits is None): for callers that only need the
                  hidden states, since the head is the largest matrix product of GPT-2

        Returns (logits, hidden, kv):
          logits  (B, T, V), or (N, V) with logits_at
          hidden  (B, T, C) the final hidden states after the last LayerNorm
          kv      keys and values of all positions so far, to pass as past_kv next time
        """
        assert (idx is None) != (embeds is None), "pass exactly one of idx and embeds"
        if idx is not None and past_kv is not None and self.config.prev_tokens:
            raise ValueError("with prev_tokens, a pass that continues a sequence needs the inputs "
                             "before it: pass embeds=model.window(model.transformer.wte(idx), before)")
        x = self.embed(idx) if idx is not None else embeds
        B, T, C = x.shape
        T_past = 0 if past_kv is None else past_kv[0][0].size(2)
        if pos is None:
            if T_past + T > self.config.block_size:
                raise ValueError(f"sequence of {T_past + T} positions is longer than the model's "
                                 f"context of {self.config.block_size}")
            pos = torch.arange(T_past, T_past + T, device=x.device)
        # with explicit position ids a padded batch may be wider than the context: only the
        # positions must stay below block_size (data.check_lengths sees to that)
        x = self.transformer.drop(x + self.transformer.wpe(pos))
        attn_mask = attention_mask(mask, T, T_past, x.device)
        kv = []
        for i, block in enumerate(self.transformer.h):
            x, layer_kv = block(x, attn_mask, None if past_kv is None else past_kv[i])
            kv.append(layer_kv)
        hidden = self.transformer.ln_f(x)  # (B, T, C): the continuous thought at each position
        if not compute_logits:
            logits = None
        elif logits_at is not None:
            logits = self.lm_head(hidden.reshape(B * T, C)[logits_at])  # (N, V)
        else:
            logits = self.lm_head(hidden)  # (B, T, V)
        return logits, hidden, kv

    # -------------------------------------------------------------------------
    # growing the vocabulary for new special tokens

    def grow_vocab(self, new_vocab_size, init_from):
        """Append embedding rows (tied to the LM head), each a copy of token `init_from`'s row.

        Old rows are untouched, so every old token's embedding and logit stays exactly the same.
        """
        old = self.transformer.wte.weight
        n_new = new_vocab_size - old.size(0)
        if n_new < 0:
            raise ValueError(f"cannot shrink the vocabulary from {old.size(0)} to {new_vocab_size}")
        if not 0 <= init_from < old.size(0):
            raise ValueError(f"init_from={init_from} is not a token of the {old.size(0)}-token vocabulary")
        wte = nn.Embedding(new_vocab_size, old.size(1), device=old.device, dtype=old.dtype)
        with torch.no_grad():
            wte.weight[:old.size(0)] = old
            wte.weight[old.size(0):] = old[init_from]
        self.transformer.wte = wte
        self.lm_head = nn.Linear(old.size(1), new_vocab_size, bias=False, device=old.device, dtype=old.dtype)
        self.lm_head.weight = wte.weight
        self.config.vocab_size = new_vocab_size

    # -------------------------------------------------------------------------
    # optimizer

    def configure_optimizer(self, lr, weight_decay, betas=(0.9, 0.999)):
        """AdamW; matrices and embeddings decay, biases and LayerNorm weights (1-D) do not.
        Fused (one kernel for all the weights, on the GPU and the CPU alike), which also lets
        train.py skip a step on the device (optimizer.found_inf) without waiting for the GPU."""
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [
            {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas, fused=True)

    # -------------------------------------------------------------------------
    # loading OpenAI's weights

    @classmethod
    def from_pretrained(cls, name_or_path, cache_dir=None):
        """OpenAI's GPT-2: a name (gpt2, gpt2-medium, gpt2-large, gpt2-xl), a .safetensors
        file, or a folder with model.safetensors (and config.json, e.g. from save_pretrained)."""
        if name_or_path in PRETRAINED:
            path = download_pretrained(name_or_path, cache_dir)
            config = GPTConfig(**PRETRAINED[name_or_path])
            return load_checkpoint(path, config)
        path = Path(name_or_path)
        if path.is_dir():
            config_file = path / "config.json"
            config = config_from_hf_json(config_file) if config_file.exists() else None
            path = path / "model.safetensors"
            if not path.exists():
                raise FileNotFoundError(f"{path} not found: the folder must hold model.safetensors")
            return load_checkpoint(path, config)
        if path.is_file():
            return load_checkpoint(path, None)
        raise FileNotFoundError(
            f"{name_or_path!r} is neither a GPT-2 name ({', '.join(PRETRAINED)}) nor an existing "
            f".safetensors file or folder")


def config_from_hf_json(path):
    """GPTConfig from a Hugging Face GPT-2 config.json."""
    try:
        c = json.loads(Path(path).read_text())
        return GPTConfig(n_layer=c["n_layer"], n_head=c["n_head"], n_embd=c["n_embd"],
                         vocab_size=c["vocab_size"], block_size=c.get("n_positions", c.get("n_ctx", 1024)),
                         layer_norm_epsilon=c.get("layer_norm_epsilon", 1e-5))
    except (ValueError, KeyError) as e:
        raise ValueError(f"{path}: not a GPT-2 config.json ({type(e).__name__}: {e})") from None


def config_from_shapes(tensors, path):
    """Without config.json, read the sizes off the tensors; n_head from the released sizes."""
    n_embd = tensors["wte.weight"].shape[1]
    heads = {c["n_embd"]: c["n_head"] for c in PRETRAINED.values()}
    if n_embd not in heads:
        raise ValueError(f"{path}: width {n_embd} is not a released GPT-2 size, so the number of "
                         f"heads is unknown; put a config.json beside the file")
    n_layer = len({k.split(".")[1] for k in tensors if k.startswith("h.")})
    return GPTConfig(n_layer=n_layer, n_head=heads[n_embd], n_embd=n_embd,
                     vocab_size=tensors["wte.weight"].shape[0], block_size=tensors["wpe.weight"].shape[0])


# Conv1D layers in the checkpoint store weights as (in, out); nn.Linear wants (out, in)
TRANSPOSED = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def load_checkpoint(path, config):
    tensors = read_safetensors(path)
    # checkpoints saved from GPT2LMHeadModel prefix names with "transformer."; the LM head is tied
    tensors = {k.removeprefix("transformer."): v for k, v in tensors.items()}
    tensors = {k: v for k, v in tensors.items()
               if k != "lm_head.weight" and not k.endswith((".attn.bias", ".attn.masked_bias"))}
    for name in ("wte.weight", "wpe.weight"):
        if name not in tensors:
            raise ValueError(f"{path}: tensor {name!r} missing; not a GPT-2 checkpoint")
    config = config or config_from_shapes(tensors, path)
    model = GPT(config)
    ours = model.state_dict()
    wanted = {k.removeprefix("transformer."): k for k in ours if k != "lm_head.weight"}
    missing = sorted(set(wanted) - set(tensors))
    unexpected = sorted(set(tensors) - set(wanted))
    if missing or unexpected:
        raise ValueError(f"{path}: missing tensors {missing[:5]}, unexpected tensors {unexpected[:5]}")
    with torch.no_grad():
        for name, ours_name in wanted.items():
            t = tensors[name]
            if name.endswith(TRANSPOSED):
                t = t.t()
            if t.shape != ours[ours_name].shape:
                raise ValueError(f"{path}: tensor {name!r} has shape {tuple(tensors[name].shape)}, "
                                 f"expected {tuple(ours[ours_name].shape)}"
                                 + (" (transposed)" if name.endswith(TRANSPOSED) else ""))
            ours[ours_name].copy_(t)
    return model


# -----------------------------------------------------------------------------
# the safetensors format: 8-byte little-endian header length N, N bytes of JSON
# {name: {"dtype", "shape", "data_offsets": [begin, end]}}, then the raw little-endian arrays


SAFETENSORS_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.uint16,
                      "I64": np.int64, "I32": np.int32, "U8": np.uint8}


def read_safetensors_header(path):
    """(header dict, byte offset of the data); checks that every array lies inside the file."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise ValueError(f"{path}: truncated safetensors file ({size} bytes)")
        n = int.from_bytes(head, "little")
        if n > size - 8:
            raise ValueError(f"{path}: truncated or not a safetensors file (header of {n} bytes, file of {size})")
        try:
            header = json.loads(f.read(n))
        except (UnicodeDecodeError, ValueError):
            raise ValueError(f"{path}: corrupt safetensors header") from None
    header.pop("__metadata__", None)
    for name, info in header.items():
        begin, end = info["data_offsets"]
        if info["dtype"] not in SAFETENSORS_DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {info['dtype']}")
        itemsize = np.dtype(SAFETENSORS_DTYPES[info["dtype"]]).itemsize
        if end - begin != math.prod(info["shape"]) * itemsize or end > size - 8 - n:
            raise ValueError(f"{path}: tensor {name!r} lies outside the file (truncated download?)")
    return header, 8 + n


def read_safetensors(path):
    """All tensors of a .safetensors file as {name: float32 torch tensor}."""
    header, data_start = read_safetensors_header(path)
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=data_start) if header else None
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=SAFETENSORS_DTYPES[info["dtype"]]).reshape(info["shape"])
        t = torch.from_numpy(array.copy())
        if info["dtype"] == "BF16":
            t = t.view(torch.bfloat16)
        tensors[name] = t.float() if t.is_floating_point() else t
    return tensors


# -----------------------------------------------------------------------------
# download into a cache folder

HF_ENDPOINT = os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def cache_folder(cache_dir=None):
    # COCONUT_CACHE overrides the location; default ~/.cache/coconut
    return Path(cache_dir or os.environ.get("COCONUT_CACHE", Path.home() / ".cache" / "coconut"))


def download_pretrained(name, cache_dir=None):
    """Path of openai-community/<name>'s model.safetensors in the cache, downloading it once.

    The download goes to a temporary file that is renamed into place only when it is complete
    and its header and sizes check out, so an interrupted download never poisons the cache.
    """
    target = cache_folder(cache_dir) / name / "model.safetensors"
    if target.exists():
        return target
    url = f"{HF_ENDPOINT.rstrip('/')}/openai-community/{name}/resolve/main/model.safetensors"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".part{os.getpid()}")
    try:
        print(f"downloading {url} -> {target}")
        with urllib.request.urlopen(url, timeout=60) as r, open(tmp, "wb") as f:
            expected = r.headers.get("Content-Length")
            while chunk := r.read(1 << 20):
                f.write(chunk)
        if expected is not None and os.path.getsize(tmp) != int(expected):
            raise ValueError(f"download of {url} incomplete: {os.path.getsize(tmp)} of {expected} bytes")
        read_safetensors_header(tmp)
        os.replace(tmp, target)
    except ValueError as e:  # incomplete or corrupt: say which URL gave it
        raise ValueError(f"download of {url} failed: {e}") from None
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"could not download {url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        raise RuntimeError(
            f"could not download {url} ({e}). Offline? Download model.safetensors of "
            f"openai-community/{name} on a machine with internet and pass its path instead, e.g. "
            f"GPT.from_pretrained('/path/to/model.safetensors') or `--init /path/to/model.safetensors`, "
            f"or place it at {target}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target

