"""The continuous-thought recurrence, the loss and generation, checked against plain definitions."""

import random

import pytest
import torch

import data
from coconut import coconut_loss, continuous_forward, generate, new_stop_head
from gpt2 import GPT, GPTConfig


@pytest.fixture(scope="module")
def tok():
    return data.Tokenizer()


def tiny_model(tok, seed=0, prev_tokens=0):
    torch.manual_seed(seed)
    model = GPT(GPTConfig(block_size=128, vocab_size=tok.vocab_size, n_layer=2, n_head=2, n_embd=32,
                          prev_tokens=prev_tokens)).eval()
    if prev_tokens:  # make the earlier tokens count for much, so that a wrong window shows
        torch.nn.init.normal_(model.transformer.prev.weight, std=0.5)
    return model


# the tests marked with this run for plain GPT-2 and for a model with prev_tokens (gpt2.GPT.window),
# whose generation must keep each row's window of earlier inputs, thoughts included, as the
# training batches have it
with_prev_tokens = pytest.mark.parametrize("prev_tokens", [0, 3])


def random_example(tok, rng, q_len, n_latent, rest_len):
    """question tokens, <bot>, n_latent slots, <eot>, then supervised text."""
    question = [rng.randrange(1000) for _ in range(q_len)]
    rest = [rng.randrange(1000) for _ in range(rest_len)] + [tok.eos]
    no_loss = question + [tok.bot] + [tok.latent] * n_latent + [tok.eot]
    return data.Example(ids=no_loss + rest, labels=[-100] * len(no_loss) + rest,
                        n_latent=n_latent, latent_start=q_len + 1)


def mixed_batch(tok):
    # different question lengths, different numbers of thoughts (0..4), different answer lengths
    rng = random.Random(0)
    shapes = [(5, 3, 4), (9, 1, 2), (3, 4, 6), (7, 0, 3), (4, 2, 1)]
    return data.collate([random_example(tok, rng, *s) for s in shapes], tok)


def naive_hidden(model, batch):
    """The definition: for each thought, rerun the WHOLE sequence with the thoughts computed so far
    written into the inputs (where a prev_tokens window reads them too); the hidden state before
    slot j becomes thought j."""
    ids, pos, mask = batch["input_ids"], batch["position_ids"], batch["attn_mask"]
    col = batch["latent_col"]
    inputs = model.transformer.wte(ids)  # token-level inputs: the thoughts are written in here
    for j in range(batch["max_latent"]):
        hidden = model(embeds=model.window(inputs), pos=pos, mask=mask)[1]
        new = inputs.clone()
        for b in range(ids.size(0)):  # plain Python on purpose: this is the slow reference
            if j < batch["n_latent"][b]:
                new[b, col + j] = hidden[b, col + j - 1]
        inputs = new
    return model(embeds=model.window(inputs), pos=pos, mask=mask)[1]


@with_prev_tokens
def test_kv_cached_passes_equal_naive_recomputation(tok, prev_tokens):
    model = tiny_model(tok, prev_tokens=prev_tokens)
    batch = mixed_batch(tok)
    fast = continuous_forward(model, batch)
    slow = naive_hidden(model, batch)
    real = batch["attn_mask"]
    assert fast.shape == slow.shape
    assert (fast - slow)[real].abs().max() < 1e-5
    h = slow.reshape(-1, slow.size(-1))[batch["label_pos"]]
    fast_h = fast.reshape(-1, fast.size(-1))[batch["label_pos"]]
    assert (model.lm_head(fast_h) - model.lm_head(h)).abs().max() < 1e-5  # the logits with labels
    naive_loss = torch.nn.functional.cross_entropy(model.lm_head(h), batch["label_ids"])
    assert abs(coconut_loss(model, batch).item() - naive_loss.item()) < 1e-5


@with_prev_tokens
def test_each_row_equals_running_it_alone(tok, prev_tokens):
    # alignment by left padding must not change any row's result
    model = tiny_model(tok, prev_tokens=prev_tokens)
    rng = random.Random(1)
    examples = [random_example(tok, rng, 6, 3, 3), random_example(tok, rng, 2, 1, 5)]
    together = continuous_forward(model, data.collate(examples, tok))
    for b, ex in enumerate(examples):
        alone_batch = data.collate([ex], tok)
        alone = continuous_forward(model, alone_batch)[0]  # (len, C)
        row = together[b][data.collate(examples, tok)["attn_mask"][b]]
        assert (row - alone).abs().max() < 1e-5


def test_batch_without_thoughts_is_one_plain_pass(tok):
    model = tiny_model(tok)
    rec = data.Record(question="Is Tom a wumpus?", steps=["Tom is a wumpus."], answer="Yes.")
    batch = data.collate([data.build_example(tok, rec, "cot", 0)], tok)
    calls = []
    orig = model.forward
    model.forward = lambda *a, **k: calls.append(1) or orig(*a, **k)
    continuous_forward(model, batch)
    assert len(calls) == 1


def test_batch_without_thoughts_needs_no_mask(tok):
    # continuous_forward skips the padding mask when no row has a thought (collate only right-pads
    # then): every real position must equal the masked definition
    model = tiny_model(tok)
    recs = [data.Record(question="Is Tom a wumpus?", steps=["Tom is a wumpus."] * k, answer="Yes.")
            for k in (1, 4)]
    batch = data.collate([data.build_example(tok, r, "cot", 0) for r in recs], tok)
    real = batch["attn_mask"]
    assert not real.all()  # the short row is padded
    fast = continuous_forward(model, batch)
    slow = model(embeds=model.embed(batch["input_ids"]), pos=batch["position_ids"], mask=real)[1]
    assert (fast - slow)[real].abs().max() < 1e-5


def attention_calls(monkeypatch):
    """Record (number of queries, whether a mask was given) of every SDPA call in gpt2.py."""
    import gpt2
    calls = []
    sdpa = gpt2.F.scaled_dot_product_attention

    def recording_sdpa(q, k, v, attn_mask=None, **kw):
        calls.append((q.size(2), attn_mask is not None))
        return sdpa(q, k, v, attn_mask=attn_mask, **kw)

    monkeypatch.setattr(gpt2.F, "scaled_dot_product_attention", recording_sdpa)
    return calls


def test_long_pass_up_to_bot_runs_without_a_padding_mask(tok, monkeypatch):
    # the pass over the (left-padded) questions is rotated to right padding so that SDPA can use
    # its flash kernel; only the short passes after it attend with a mask
    model = tiny_model(tok)
    batch = mixed_batch(tok)
    assert not batch["attn_mask"][:, :batch["latent_col"]].all()  # the questions are padded
    calls = attention_calls(monkeypatch)
    continuous_forward(model, batch)
    n_layer = model.config.n_layer
    assert calls[:n_layer] == [(batch["latent_col"], False)] * n_layer
    assert all(masked for _, masked in calls[n_layer:])
    calls.clear()
    generate(model, prompts_of(tok, random.Random(0), [3, 8, 5]), tok.eos, n_latent=2,
             max_new_tokens=3)
    assert calls[:n_layer] == [(9, False)] * n_layer  # the prompts (and <bot>), left-padded to 9


def test_n_thoughts_take_n_plus_one_passes(tok):
    model = tiny_model(tok)
    batch = mixed_batch(tok)
    calls = []
    orig = model.forward
    model.forward = lambda *a, **k: calls.append(1) or orig(*a, **k)
    continuous_forward(model, batch)
    assert len(calls) == batch["max_latent"] + 1


def test_gradient_flows_through_the_thoughts(tok):
    # The hidden state at <bot> is used by nothing but thought 0 (positions attend to keys and
    # values, not to final hidden states), and <bot> carries no label. A non-zero gradient there
    # can only have come back through the recurrence.
    model = tiny_model(tok).train()
    batch = mixed_batch(tok)
    hiddens = []
    orig = model.forward

    def recording_forward(*a, **k):
        out = orig(*a, **k)
        out[1].retain_grad()
        hiddens.append(out[1])
        return out

    model.forward = recording_forward
    coconut_loss(model, batch).backward()
    # (B, col, C): pass 0, up to and including <bot>, which runs on right-padded rows: row b's
    # <bot> is at its last real column there
    first = hiddens[0].grad
    bot = batch["attn_mask"][:, :batch["latent_col"]].sum(1) - 1  # (B,)
    at_bot = first[torch.arange(first.size(0)), bot]  # (B, C)
    has_thought = batch["n_latent"] > 0
    assert at_bot[has_thought].abs().sum(-1).min() > 0  # every row with a thought
    assert at_bot[~has_thought].abs().sum() == 0  # the row without thoughts: nothing
    elsewhere = first.clone()
    elsewhere[torch.arange(first.size(0)), bot] = 0
    assert elsewhere.abs().sum() == 0  # the question's own hidden states are unused
    # and the parameters all get gradient
    assert all(p.grad is not None for p in model.parameters())


def test_question_and_thoughts_carry_no_loss(tok):
    model = tiny_model(tok)
    batch = mixed_batch(tok)
    targets = batch["targets"]
    # changing the question's *targets* region has no effect: only positions from <eot> on predict
    for b in range(targets.size(0)):
        eot_col = batch["latent_col"] + int(batch["n_latent"][b])
        assert (targets[b, :eot_col] == -100).all()
        assert targets[b, eot_col] != -100  # the prediction made at <eot> is supervised


# -----------------------------------------------------------------------------
# generation


def prompts_of(tok, rng, lengths):
    return [[rng.randrange(1000) for _ in range(n)] + [tok.bot] for n in lengths]


@with_prev_tokens
def test_batched_generation_equals_one_row_at_a_time(tok, prev_tokens):
    model = tiny_model(tok, prev_tokens=prev_tokens)
    prompts = prompts_of(tok, random.Random(2), [4, 9, 6])
    batched = generate(model, prompts, tok.eos, n_latent=3, after_thoughts=[tok.eot], max_new_tokens=8)
    for b, p in enumerate(prompts):
        alone = generate(model, [p], tok.eos, n_latent=3, after_thoughts=[tok.eot], max_new_tokens=8)
        assert alone["tokens"][0] == batched["tokens"][b]
        assert torch.allclose(alone["thought_logits"][0], batched["thought_logits"][b], atol=1e-4)


@with_prev_tokens
def test_generation_equals_teacher_forced_greedy_argmax(tok, prev_tokens):
    # run the generated text back through the training forward: at every position the argmax of
    # the logits must be the token that generation wrote next
    model = tiny_model(tok, prev_tokens=prev_tokens)
    prompts = prompts_of(tok, random.Random(3), [5, 8])
    n_latent = 2
    out = generate(model, prompts, tok.eos, n_latent=n_latent, after_thoughts=[tok.eot], max_new_tokens=6)
    for p, tokens in zip(prompts, out["tokens"]):
        ids = p + [tok.latent] * n_latent + [tok.eot] + tokens
        ex = data.Example(ids=ids, labels=[-100] * (len(p) + n_latent + 1) + tokens,
                          n_latent=n_latent, latent_start=len(p))
        batch = data.collate([ex], tok)
        hidden = continuous_forward(model, batch)[0]
        predicted = model.lm_head(hidden).argmax(-1)  # (T,)
        start = len(p) + n_latent  # the <eot> position predicts the first generated token
        assert predicted[start:start + len(tokens)].tolist() == tokens


@with_prev_tokens
def test_generation_without_eot_equals_teacher_forced_greedy_argmax(tok, prev_tokens):
    # train.py --no_eot: no <eot> after the thoughts, so the last thought's position predicts the
    # first written token (generate with after_thoughts=[])
    model = tiny_model(tok, prev_tokens=prev_tokens)
    prompts = prompts_of(tok, random.Random(5), [4, 9])
    n_latent = 3
    out = generate(model, prompts, tok.eos, n_latent=n_latent, after_thoughts=[], max_new_tokens=6)
    for p, tokens in zip(prompts, out["tokens"]):
        ids = p + [tok.latent] * n_latent + tokens
        ex = data.Example(ids=ids, labels=[-100] * (len(p) + n_latent) + tokens,
                          n_latent=n_latent, latent_start=len(p))
        hidden = continuous_forward(model, data.collate([ex], tok))[0]
        predicted = model.lm_head(hidden).argmax(-1)  # (T,)
        start = len(p) + n_latent - 1  # the last thought's slot predicts the first generated token
        assert predicted[start:start + len(tokens)].tolist() == tokens


def test_generation_stops_each_row_at_end_of_text(tok):
    model = tiny_model(tok)
    prompts = prompts_of(tok, random.Random(4), [3, 7])
    free = generate(model, prompts, tok.eos, n_latent=1, after_thoughts=[tok.eot], max_new_tokens=6)
    # pretend a token row 0 writes is end-of-text: row 0 stops at its first occurrence
    stop = free["tokens"][0][2]
    n = free["tokens"][0].index(stop) + 1
    out = generate(model, prompts, stop, n_latent=1, after_thoughts=[tok.eot], max_new_tokens=6)
    assert out["tokens"][0] == free["tokens"][0][:n]
    assert out["n_generated"][0] == 1 + n - 1  # one thought + the tokens before end-of-text
    if stop not in free["tokens"][1]:
        assert out["tokens"][1] == free["tokens"][1]
        assert out["n_generated"][1] == 1 + 6


@with_prev_tokens
def test_thought_logits_are_the_lm_head_of_the_thoughts(tok, prev_tokens):
    model = tiny_model(tok, prev_tokens=prev_tokens)
    prompt = prompts_of(tok, random.Random(5), [6])
    out = generate(model, prompt, tok.eos, n_latent=3, after_thoughts=[tok.eot], max_new_tokens=1)
    ex = data.Example(ids=prompt[0] + [tok.latent] * 3 + [tok.eot], labels=[-100] * 10 + [tok.eot],
                      n_latent=3, latent_start=len(prompt[0]))
    hidden = continuous_forward(model, data.collate([ex], tok))[0]
    col = len(prompt[0]) - 1  # thought j is the hidden state at column col + j
    expected = model.lm_head(hidden[col:col + 3])
    assert torch.allclose(out["thought_logits"][0], expected, atol=1e-4)


def test_generation_stops_at_the_end_of_the_context(tok):
    model = tiny_model(tok)  # block_size 128
    prompt = [[7] * 120 + [tok.bot]]
    out = generate(model, prompt, tok.eos, n_latent=3, after_thoughts=[tok.eot], max_new_tokens=50)
    assert len(out["tokens"][0]) <= 128 - 121 - 3 - 1
    with pytest.raises(ValueError, match="context"):
        generate(model, [[7] * 126 + [tok.bot]], tok.eos, n_latent=3, after_thoughts=[tok.eot])


# -----------------------------------------------------------------------------
# the stop head


class FixedStops(torch.nn.Module):
    """A stand-in stop head that stops row b after stops[b] thoughts (it counts its calls)."""

    def __init__(self, stops):
        super().__init__()
        self.stops, self.calls = torch.tensor(stops), 0

    def forward(self, thought):  # (B, C) -> (B, 1) logits
        j, self.calls = self.calls, self.calls + 1
        return torch.where(self.stops >= 0, (j >= self.stops).float() * 2 - 1, -1.0)[:, None]


@with_prev_tokens
def test_stopping_early_equals_a_fixed_count_for_that_row(tok, prev_tokens):
    # rows that stop early get invisible positions for the rest of the thinking phase: each row
    # must come out exactly as if it had been generated alone with its own number of thoughts
    model = tiny_model(tok, prev_tokens=prev_tokens)
    prompts = prompts_of(tok, random.Random(6), [5, 8, 3])
    out = generate(model, prompts, tok.eos, n_latent=4, after_thoughts=[tok.eot], max_new_tokens=6,
                   stop_head=FixedStops([2, 0, -1]))  # -1: never stops, uses all 4
    assert out["n_thoughts"] == [2, 0, 4]
    for p, k, tokens, n in zip(prompts, [2, 0, 4], out["tokens"], out["n_generated"]):
        alone = generate(model, [p], tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=6)
        assert alone["tokens"][0] == tokens
        assert n == k + len(tokens) - (tokens[-1] == tok.eos)


def test_stop_head_learns_where_eot_comes(tok):
    # targets: "go on" before each thought of a row, "stop" right before its <eot>
    model = tiny_model(tok)
    batch = mixed_batch(tok)  # rows with 3, 1, 4, 0, 2 thoughts
    head = new_stop_head(32)
    hidden = continuous_forward(model, batch)
    col, n = batch["latent_col"], batch["max_latent"]
    logits = head(hidden[:, col - 1:col + n]).squeeze(-1)  # (B, n + 1)
    expected, count = 0.0, 0
    for b, n_b in enumerate(batch["n_latent"].tolist()):
        for j in range(n_b + 1):
            target = torch.tensor(float(j == n_b))
            expected += torch.nn.functional.binary_cross_entropy_with_logits(logits[b, j], target).item()
            count += 1
    from coconut import stop_loss
    assert abs(stop_loss(head, hidden, batch).item() - expected / count) < 1e-6
    # the head is a probe: its loss sends no gradient into the language model
    model.zero_grad()
    stop_loss(head, continuous_forward(model, batch), batch).backward()
    assert all(p.grad is None or p.grad.abs().sum() == 0 for p in model.parameters())
    assert all(p.grad.abs().sum() > 0 for p in head.parameters())
