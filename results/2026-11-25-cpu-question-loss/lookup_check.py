"""
Can gpt2.py's GPT learn a content lookup when the only loss is on the looked-up values?

In ProsQA only the chain and the answer carry a loss; reading an edge of the question ("Every
shumpus is a rempus") needs a lookup by content, and nothing in the question itself is trained.
This toy keeps just that: each sequence is FACTS facts "key value", then the same facts again in
a random order, and the loss and accuracy are on the values of the second part, which only a
lookup of the key in the first part can predict. (../2026-11-24-cpu-probes/induction_check.py
repeats a sequence in the same order: a fixed offset, which position embeddings alone can copy.)
Kinds of key:
    one      one token                                     (the easy lookup)
    three    three tokens, all random
    suffix   two random tokens and one shared last token    (ProsQA's names: " sh|ump|us", " rem|p|us")

    OMP_NUM_THREADS=1 python results/2026-11-25-cpu-question-loss/lookup_check.py --key one --steps 15000

--shift K gives each input the K tokens before it too, as gpt2.py's prev_tokens; --wpe sin starts
the position embeddings as sinusoids (both: ../2026-11-25-cpu-prev-tokens/).

Prints the lookup accuracy every 250 steps and the first step at which it reaches 90%.
Run from the repository root.
"""

import argparse
import sys
import time
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
from gpt2 import GPT, GPTConfig  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--key", choices=["one", "three", "suffix"], required=True)
p.add_argument("--steps", type=int, default=6000)
p.add_argument("--facts", type=int, default=8)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--n_layer", type=int, default=2)
p.add_argument("--n_embd", type=int, default=64)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--n_head", type=int, default=2)
p.add_argument("--shift", type=int, default=0,
               help="K > 0: add a learned map of the K previous tokens' embeddings to each input, as "
                    "gpt2.py's prev_tokens (here without its <|endoftext|> fill: zeros before the start)")
p.add_argument("--wpe", choices=["learned", "sin"], default="learned",
               help="sin: start the position embeddings as sinusoids (as the original Transformer's)")
args = p.parse_args()

VOCAB = 64  # token 0 is the shared suffix; keys and values are drawn from 1..63
KEY_LEN = 1 if args.key == "one" else 3


def make_batch(B, gen):
    """input ids (B, T): the facts, then the same facts in a random order.

    The keys of a row differ in their first token (drawn without replacement), as 84% of the
    concepts of a ProsQA question do; their other tokens are random, or the shared token 0 last.
    """
    n = args.facts
    first = torch.stack([torch.randperm(VOCAB - 1, generator=gen)[:n] + 1 for _ in range(B)])  # (B, n)
    keys = [first[..., None]]
    if KEY_LEN == 3:
        keys.append(torch.randint(1, VOCAB, (B, n, 1), generator=gen))
        last = torch.zeros((B, n, 1), dtype=torch.long) if args.key == "suffix" else \
            torch.randint(1, VOCAB, (B, n, 1), generator=gen)
        keys.append(last)
    keys = torch.cat(keys, dim=-1)  # (B, n, KEY_LEN)
    values = torch.randint(1, VOCAB, (B, n, 1), generator=gen)  # (B, n, 1)
    facts = torch.cat([keys, values], dim=-1)  # (B, n, KEY_LEN + 1)
    order = torch.stack([torch.randperm(n, generator=gen) for _ in range(B)])  # (B, n)
    again = facts[torch.arange(B)[:, None], order]  # (B, n, KEY_LEN + 1): the facts reordered
    return torch.cat([facts.reshape(B, -1), again.reshape(B, -1)], dim=1)  # (B, 2 * n * (KEY_LEN + 1))


def sinusoids(T, C):
    """(T, C) position embeddings: sines and cosines of geometrically spaced frequencies."""
    pos = torch.arange(T, dtype=torch.float32)[:, None]  # (T, 1)
    freq = 10000.0 ** (-torch.arange(0, C, 2, dtype=torch.float32) / C)  # (C/2,)
    return torch.cat([torch.sin(pos * freq), torch.cos(pos * freq)], dim=1)  # (T, C)


gen = torch.Generator().manual_seed(args.seed)
torch.manual_seed(args.seed)
T = 2 * args.facts * (KEY_LEN + 1)
# the positions whose next token is a value of the second part (the last token of each key there)
query_pos = torch.arange(args.facts) * (KEY_LEN + 1) + args.facts * (KEY_LEN + 1) + KEY_LEN - 1
model = GPT(GPTConfig(block_size=T, vocab_size=VOCAB, n_layer=args.n_layer, n_head=args.n_head, n_embd=args.n_embd))
shift = torch.nn.Linear(args.shift * args.n_embd, args.n_embd, bias=False) if args.shift else None
if shift is not None:
    torch.nn.init.normal_(shift.weight, std=0.02)  # as every other matrix of gpt2.py
if args.wpe == "sin":
    with torch.no_grad():
        model.transformer.wpe.weight.copy_(sinusoids(T, args.n_embd) * 0.02 / 0.707)
optimizer = model.configure_optimizer(lr=args.lr, weight_decay=0.01)
if shift is not None:
    optimizer.add_param_group({"params": list(shift.parameters()), "weight_decay": 0.01})
start, reached, correct, seen = time.time(), None, 0, 0
for step in range(1, args.steps + 1):
    ids = make_batch(args.batch, gen)  # (B, T)
    x = model.embed(ids[:, :-1])  # (B, T, C)
    if shift is not None:  # position t also sees tokens t-1 .. t-K, mapped
        T_in = x.size(1)
        earlier = [F.pad(x, (0, 0, k, 0))[:, :T_in] for k in range(1, args.shift + 1)]  # K x (B, T, C)
        x = x + shift(torch.cat(earlier, dim=-1))
    logits = model(embeds=x)[0][:, query_pos]  # (B, FACTS, V): predictions after each key
    target = ids[:, query_pos + 1]  # (B, FACTS): the values
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), target.reshape(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    correct += (logits.argmax(-1) == target).sum().item()
    seen += target.numel()
    if step % 250 == 0:
        acc = correct / seen  # over the last 250 steps, on fresh sequences (nothing repeats)
        if reached is None and acc >= 0.9:
            reached = step
        print(f"step {step:5d} | loss {loss.item():.3f} | lookup accuracy {100 * acc:5.1f}% "
              f"| {time.time() - start:.0f} s", flush=True)
        correct = seen = 0
print(f"key {args.key}: 90% lookup accuracy first reached by step {reached} (None: not reached); "
      f"guessing among the facts' values is {100 / args.facts:.1f}%")
