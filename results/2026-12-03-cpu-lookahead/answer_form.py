"""With k thoughts, does the model name the right answer node even when it skips "###"?

    python results/2026-12-03-cpu-lookahead/answer_form.py CKPT VALID_JSON K

On the first 300 validation questions of the hops-then data: how often the first token written
after the thoughts is "###" (the answer's format), and how often the first node token written
is the answer (4 hops from the start), whatever comes before it.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-02-cpu-hop-window"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from coconut import generate  # noqa: E402
from window_ablate import load  # noqa: E402


@torch.no_grad()
def main(ckpt_path, valid_path, k):
    k = int(k)
    tok, model, prompts, paths = load(ckpt_path, valid_path, k, 5)  # paths (B, 6): node token ids
    out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[], max_new_tokens=24)
    nodes = {tok.encode(" " + chr(ord("a") + i))[0] for i in range(16)}
    hashes = tok.encode("###")[0]
    first_hash = sum(row[:1] == [hashes] for row in out["tokens"])
    first_node = [next((t for t in row if t in nodes), None) for row in out["tokens"]]
    right = sum(n == int(p[4]) for n, p in zip(first_node, paths))
    print(f"{ckpt_path}, {k} thoughts, {len(prompts)} questions: first token '###' in "
          f"{100 * first_hash / len(prompts):.1f}%, first node written is the answer in "
          f"{100 * right / len(prompts):.1f}%")


if __name__ == "__main__":
    main(*sys.argv[1:4])
