"""Which node of the path does each thought name under the LM head?

    python results/2026-12-02-cpu-hop-window/node_named.py CKPT VALID_JSON K

Runs `generate` with K thoughts on the first 300 validation questions of the hops toy and prints
a table: one row per thought (1 = the hidden state at <bot>, j + 2 = the output of thought slot
j), one column per node of the path (h hops from the start), each cell the share of questions
(%) whose thought names that node; "other" is any other token. Uses the coconut.py it is run
beside, so with window_latent.patch applied it reads a model the way that patch trains it.
"""
import sys
from collections import Counter
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from coconut import generate  # noqa: E402
from window_ablate import load  # noqa: E402


@torch.no_grad()
def main(ckpt_path, valid_path, k):
    k = int(k)
    tok, model, prompts, paths = load(ckpt_path, valid_path, k, 5)  # paths (B, 6)
    out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=40)
    named = out["thought_logits"].argmax(-1)  # (B, k)
    counts = torch.zeros(k, 7)  # columns: other, then 0..5 hops
    for j in range(k):
        hit = paths == named[:, j, None]
        hops = torch.where(hit.any(1), hit.float().argmax(1) + 1, 0)
        counts[j] = torch.bincount(hops, minlength=7)
    print(f"{ckpt_path}, {k} thoughts, {len(prompts)} questions; % naming the node h hops on")
    print("thought  other  " + "  ".join(f"h={h}" for h in range(6)))
    for j in range(k):
        print(f"{j + 1:7d}  " + "  ".join(f"{100 * c / len(prompts):4.0f}" for c in counts[j]))
    for j in range(k):  # what "other" is: the tokens named most often
        top = Counter(tok.decode([int(t)]) for t in named[:, j]).most_common(3)
        print(f"thought {j + 1} names most often: " + ", ".join(f"{w!r} {n}" for w, n in top))


if __name__ == "__main__":
    main(*sys.argv[1:4])
