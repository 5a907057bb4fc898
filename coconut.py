"""
Coconut: Chain of Continuous Thought (Hao et al., 2024, arXiv 2412.06769).

A language model usually reasons by writing a chain of thought, token by token. Coconut lets it
reason in a continuous latent space instead: between the markers <bot> and <eot>, the model's
last hidden state (after the final LayerNorm, before the LM head) at position t is fed back
as the *input embedding* of position t+1. Each such vector is a "continuous thought". The
first thought is the hidden state at <bot> itself. After <eot> the model writes in language again.

    question  <bot> [t0] [t1] ... [tn-1] <eot>  remaining steps ... ### answer <|endoftext|>
              |      ^ |   ^
              +------+ +---+    t_j = final hidden state at the position before slot j

This file has four parts:
  1. continuous_forward: the training forward pass with the thought recurrence (the centrepiece)
  2. coconut_loss: masked next-token cross-entropy on top of it
  3. generate: batched greedy decoding with a key/value cache, thoughts included
  4. a stop head: a learned "stop thinking" decision instead of a fixed number of thoughts

A batch comes from data.collate: rows are left-padded so that the first thought slot of every
row sits at the same column `latent_col`; row b's thought slot j is column latent_col + j
(for j < n_latent[b]); column latent_col - 1 holds <bot>.
"""

import torch
from torch.nn import functional as F

from gpt2 import EOS_ID


# -----------------------------------------------------------------------------
# 1. the training forward: n + 1 passes that share one key/value cache


def continuous_forward(model, batch):
    """Final hidden states (B, T, C) of a batch, with every thought slot holding its thought.

    With n = max_latent thoughts this takes n + 1 passes, because thought j is only known once
    the position before slot j has been computed:
      pass 0      columns [0, col), up to <bot>        -> the hidden state at <bot> is thought 0
      pass j+1    column col + j alone, holding thought j -> its hidden state is thought j+1
      pass n      columns [col + n - 1, T): the last thought, <eot> and the rest of the text
    Every pass reuses the keys/values of all earlier positions (past_kv), so together the passes
    cost about one full pass of FLOPs. Nothing is detached: gradients flow back through every
    thought into everything that produced it (back-propagation through the recurrence).
    """
    ids, pos, mask = batch["input_ids"], batch["position_ids"], batch["attn_mask"]  # (B, T) each
    col, n = batch["latent_col"], batch["max_latent"]  # python ints
    tokens = model.transformer.wte(ids)  # (B, T, C); thought slots hold the <|latent|> embedding for now
    if n == 0:  # no thoughts in this batch: one ordinary pass. data.collate only right-pads such a
        # batch, and causal attention never looks right, so no mask is needed (and SDPA can use
        # its fastest, flash kernel); padding outputs are never used
        return model(embeds=model.window(tokens), pos=pos, compute_logits=False)[1]
    T = ids.size(1)
    # rows have different numbers of thoughts; has_thought[b, j] says whether slot j is a thought
    has_thought = torch.arange(n, device=ids.device) < batch["n_latent"][:, None]  # (B, n)

    # pass 0, the long one, up to <bot>. No logits in any pass: coconut_loss applies the LM head
    # at the labelled positions only. key_mask says which cached keys are real tokens.
    # model.window(x) is x for GPT-2 (the option prev_tokens adds what the inputs before see)
    hidden, kv, key_mask = left_padded_pass(model, model.window(tokens[:, :col]), pos[:, :col], mask[:, :col])
    hiddens = [hidden]  # final hidden states of every pass, to be concatenated along T
    before = tokens[:, :col]  # the inputs before slot 0, for model.window (prev_tokens only)
    for j in range(n):
        thought = hidden[:, -1]  # (B, C): the hidden state just before slot j
        # slot j gets the thought in rows that have one; other rows keep their token there
        slot = torch.where(has_thought[:, j, None], thought, tokens[:, col + j])  # (B, C)
        end = col + j + 1 if j < n - 1 else T  # the last pass runs to the end of the sequence
        x = torch.cat([slot[:, None], tokens[:, col + j + 1:end]], dim=1)  # (B, end - col - j, C)
        key_mask = torch.cat([key_mask, mask[:, col + j:end]], dim=1)  # (B, end)
        _, hidden, kv = model(embeds=model.window(x, before), pos=pos[:, col + j:end], mask=key_mask,
                              past_kv=kv, compute_logits=False)
        hiddens.append(hidden)
        if model.config.prev_tokens:  # the next pass's window sees slot j as fed: the thought itself
            before = torch.cat([before, slot[:, None]], dim=1)[:, -model.config.prev_tokens:]
    return torch.cat(hiddens, dim=1)  # (B, T, C)


def left_padded_pass(model, embeds, pos, mask):
    """One pass over left-padded rows, run as right-padded rows so that it needs no padding mask.

    embeds (B, L, C), pos (B, L), mask (B, L) True on real tokens. With a padding mask, SDPA on
    the GPU cannot use its flash kernel and computes the whole (L, L) score matrix, the masked
    causal half included; this pass is most of a Coconut step, so that matters. Rotating each row
    so that its padding comes last gives a right-padded batch, and causal attention never looks
    right: no mask at all. The rotation is exact because every later pass sees the cached keys
    as a set: each key carries its own position (added to the input embedding), and which keys
    are padding is said by the mask returned with them.

    Returns hidden (B, L, C) rotated back to the left-padded layout, the kv cache (rotated) and
    key_mask (B, L): the mask of the cached keys, in their rotated order.
    """
    B, L = mask.shape
    n_pad = L - mask.sum(1, keepdim=True)  # (B, 1)
    cols = torch.arange(L, device=mask.device)  # (L,)
    rows = torch.arange(B, device=mask.device)[:, None]  # (B, 1)
    to_right = (cols + n_pad) % L  # (B, L): rotated column t holds original column to_right[b, t]
    to_left = (cols - n_pad) % L  # (B, L): the inverse rotation
    _, hidden, kv = model(embeds=embeds[rows, to_right], pos=pos[rows, to_right],
                          compute_logits=False)
    return hidden[rows, to_left], kv, mask[rows, to_right]


# -----------------------------------------------------------------------------
# 2. the loss


def coconut_loss(model, batch, stop_head=None):
    """Mean next-token cross-entropy over the labelled positions.

    The question, <bot>, the thought slots and <eot>'s own token carry no label (data.py sets
    them to -100), so the objective never asks a thought to reproduce the text it replaced: it
    only asks the thoughts to help predict what comes after <eot>. Logits are computed only at
    the N labelled positions (batch["label_pos"], flat indices into B*T): the LM head is the
    single largest matrix product of GPT-2 and most positions need no prediction.
    With a stop head (part 4), its loss is added.
    """
    hidden = continuous_forward(model, batch)  # (B, T, C)
    h = hidden.reshape(-1, hidden.size(-1))[batch["label_pos"]]  # (N, C)
    logits = model.lm_head(h)  # (N, V)
    loss = F.cross_entropy(logits.float(), batch["label_ids"])
    if stop_head is not None:
        loss = loss + stop_loss(stop_head, hidden, batch)
    return loss


# -----------------------------------------------------------------------------
# 3. batched greedy generation with a key/value cache


def left_pad(prompts, pad_id, device):
    """Prompts of different lengths as one left-padded batch, so all of them end at column L-1.

    Returns ids (B, L), position ids (B, L) counting from 0 at each row's first real token,
    mask (B, L) True on real tokens, and each row's length (B,).
    """
    L = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), L), pad_id, dtype=torch.long)
    mask = torch.zeros((len(prompts), L), dtype=torch.bool)
    for b, p in enumerate(prompts):
        ids[b, L - len(p):] = torch.tensor(p, dtype=torch.long)
        mask[b, L - len(p):] = True
    pos = (mask.long().cumsum(1) - 1).clamp(min=0)
    lengths = mask.sum(1)
    return ids.to(device), pos.to(device), mask.to(device), lengths.to(device)


@torch.no_grad()
def generate(model, prompts, eos_id, n_latent=0, after_thoughts=(), max_new_tokens=64,
             pad_id=None, stop_head=None):
    """Greedy decoding for a batch of prompts (lists of token ids).

    After the prompt, n_latent continuous thoughts are computed by feeding each final hidden
    state back as the next input embedding (for Coconut the prompt ends with <bot>); then the
    tokens `after_thoughts` are fed (for Coconut: [<eot>]); then tokens are decoded greedily
    until every row has emitted eos_id, max_new_tokens were written or the context is full.
    With a stop_head, n_latent is the most thoughts a row may use: each row stops thinking
    when the head says so (part 4).

    Returns a dict:
      tokens        list of B lists: the decoded tokens, up to and including eos_id if emitted
      n_generated   list of B ints: thoughts + decoded tokens without the final eos (the
                    paper's "# tokens": the given markers do not count)
      n_thoughts    list of B ints: the thoughts each row used
      thought_logits (B, n_latent, V): the LM head applied to each thought (what it "says")
    """
    device = next(model.parameters()).device
    pad_id = eos_id if pad_id is None else pad_id
    ids, pos, mask, next_pos = left_pad(prompts, pad_id, device)
    B, L = ids.shape
    room = model.config.block_size - L - n_latent - len(after_thoughts)  # positions left for tokens
    if room < 1:
        raise ValueError(f"a prompt of {L} tokens with {n_latent} thoughts does not fit the model's "
                         f"context of {model.config.block_size}")
    max_new_tokens = min(max_new_tokens, room)  # decoding also stops at the end of the context
    K = model.config.prev_tokens
    hidden, kv, mask = left_padded_pass(model, model.embed(ids), pos, mask)  # see part 1
    logits = model.lm_head(hidden[:, -1])  # (B, V): at each row's last prompt token
    # prev_tokens only: each row's last K inputs (its padding included, and <|endoftext|> before
    # column 0, as model.embed read the prompt), which model.window needs before a new position
    start = model.transformer.wte.weight[EOS_ID].expand(B, K, -1)
    recent = torch.cat([start, model.transformer.wte(ids)], dim=1)[:, -K:] if K else None  # (B, K, C)

    def step(tokens=None, embeds=None, real=None):
        # one new position per row: its position id is the row's length so far. A row where
        # real is False gets an invisible position instead (masked out for every later query,
        # position id not advanced): exactly as if the row did not have it at all
        nonlocal mask, next_pos, kv, recent
        real = mask.new_ones(B) if real is None else real  # (B,) bool
        mask = torch.cat([mask, real[:, None]], dim=1)
        x = model.transformer.wte(tokens) if tokens is not None else embeds  # (B, 1, C)
        embeds = model.window(x, recent)
        if K:  # the window moves on by the input fed: a token's embedding, or the thought itself
            recent = torch.where(real[:, None, None], torch.cat([recent[:, 1:], x], 1), recent)
        out = model(embeds=embeds, pos=next_pos[:, None], mask=mask, past_kv=kv)
        next_pos = next_pos + real.long()
        kv = out[2]
        return out[0][:, -1], out[1][:, -1]  # logits (B, V), hidden (B, C)

    thought_logits = []
    thought = hidden[:, -1]  # (B, C): the hidden state at the last prompt token (<bot>)
    next_logits = logits  # (B, V): what follows the prompt
    thinking = torch.ones(B, dtype=torch.bool, device=device)  # rows still in latent mode
    n_thoughts = torch.zeros(B, dtype=torch.long, device=device)
    for _ in range(n_latent):
        if stop_head is not None:  # a row that stops now writes <eot> next
            thinking = thinking & ~says_stop(stop_head, thought)
        thought_logits.append(model.lm_head(thought))  # (B, V)
        next_logits, thought = step(embeds=thought[:, None], real=thinking)  # feed the thought back
        n_thoughts += thinking
    for t in after_thoughts:
        next_logits, _ = step(tokens=torch.full((B, 1), t, dtype=torch.long, device=device))

    out = torch.full((B, max_new_tokens), pad_id, dtype=torch.long, device=device)
    done = torch.zeros(B, dtype=torch.bool, device=device)
    n_tokens = torch.zeros(B, dtype=torch.long, device=device)
    for i in range(max_new_tokens):
        token = next_logits.argmax(dim=-1)  # (B,) greedy
        token = torch.where(done, pad_id, token)  # finished rows only pad
        out[:, i] = token
        n_tokens += ~done
        done = done | (token == eos_id)
        if i == max_new_tokens - 1 or bool(done.all()):  # one host sync per token
            break
        next_logits, _ = step(tokens=token[:, None])

    n_tokens, n_thoughts, ended = n_tokens.tolist(), n_thoughts.tolist(), done.tolist()
    tokens = [row[:n].tolist() for row, n in zip(out, n_tokens)]
    V = logits.size(-1)
    return {
        "tokens": tokens,
        "n_generated": [k + n - e for k, n, e in zip(n_thoughts, n_tokens, ended)],
        "n_thoughts": n_thoughts,
        "thought_logits": torch.stack(thought_logits, 1) if thought_logits else logits.new_zeros(B, 0, V),
    }


# -----------------------------------------------------------------------------
# 4. a stop head: when to stop thinking
#
# The paper uses a fixed number of thoughts and mentions that a binary classifier on the thoughts,
# deciding when to switch back to language, works about as well; the released code has none.
# Here it is a small MLP on the continuous thought: before thought j is fed back, the head
# reads it and predicts whether the next position is <eot> instead (so zero thoughts is possible
# too). It is trained on the thoughts of the training sequences: for a row with n thoughts,
# "go on" at j = 0..n-1 and "stop" at j = n. That is only informative when n varies with the
# question: train with --no_pad_latent (n = the question's own number of steps, up to the
# maximum) or with stage mixing. The head reads detached thoughts, so adding it leaves the
# language model's training unchanged. Why a hidden layer: one linear map must make every
# decision of every depth at once, and on a toy where that mattered it could not tell the
# questions that end after three thoughts from those that go on; heads with a hidden layer, or
# that read every thought so far, could (results/2026-12-06-cpu-fork-stop-head/).

STOP_HIDDEN = 256  # the stop head's hidden width


def new_stop_head(n_embd):
    """A stop head for thoughts of width n_embd: (..., n_embd) -> (..., 1) logits of "stop"."""
    return torch.nn.Sequential(torch.nn.Linear(n_embd, STOP_HIDDEN), torch.nn.GELU(),
                               torch.nn.Linear(STOP_HIDDEN, 1))


def stop_loss(stop_head, hidden, batch):
    """Binary cross-entropy of the stop decisions at the thought positions of a batch."""
    col, n = batch["latent_col"], batch["max_latent"]
    if n == 0:  # no thoughts in the batch (its rows are not aligned on <bot>): nothing to learn
        return hidden.new_zeros(())
    # the hidden state before slot j sits at column col - 1 + j; j = 0..n (the last: before <eot>)
    thoughts = hidden[:, col - 1:col + n].detach()  # (B, n + 1, C)
    j = torch.arange(n + 1, device=hidden.device)  # (n + 1,)
    n_b = batch["n_latent"][:, None]  # (B, 1)
    target = (j == n_b).float()  # (B, n + 1): 1 where <eot> comes next
    valid = j <= n_b  # past a row's <eot> there is nothing to decide
    logit = stop_head(thoughts.float()).squeeze(-1)  # (B, n + 1)
    loss = F.binary_cross_entropy_with_logits(logit, target, reduction="none")  # (B, n + 1)
    return (loss * valid).sum() / valid.sum()  # a masked mean: no boolean indexing, no host sync


def says_stop(stop_head, thought):
    """(B,) bool: the head's decision for thoughts (B, C)."""
    return stop_head(thought.float()).squeeze(-1) > 0  # probability > 0.5

