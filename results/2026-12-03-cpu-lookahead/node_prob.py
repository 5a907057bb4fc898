"""How much of each thought is the next node, and how much the constant word before it?

    python results/2026-12-03-cpu-lookahead/node_prob.py CKPT VALID_JSON K

With the look-ahead loss the last marker is asked for two tokens at once (" then" and the node
after it), so its argmax under the LM head (node_named.py) can read " then" while the node is a
close second. For each thought j (1 = the hidden state at <bot>) on the first 300 validation
questions of the hops-then data: the mean probability of " then", of the node j - 1 hops from the
start (what the look-ahead asks of the marker whose output is thought j), and how often that node
is the most probable of the 16 nodes; then which node of the path the most probable node is
(h hops from the start; "other": a node off the first 6 of the path).
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
    out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[], max_new_tokens=1)
    probs = out["thought_logits"].float().softmax(-1)  # (B, k, V)
    nodes = torch.tensor([tok.encode(" " + chr(ord("a") + i))[0] for i in range(16)])  # the 16 node tokens
    then = tok.encode(" then")[0]
    print(f"{ckpt_path}, {k} thoughts, {len(prompts)} questions")
    for j in range(k):
        target = paths[:, j]  # (B,) the node j hops on (j = 0: the start)
        p_target = probs[:, j].gather(1, target[:, None]).squeeze(1)
        top_node = nodes[probs[:, j][:, nodes].argmax(1)]
        print(f"thought {j + 1}: p(' then') {probs[:, j, then].mean():.3f}, p(node {j} hops on) "
              f"{p_target.mean():.3f}, that node the most probable node in {100 * (top_node == target).float().mean():.0f}%")
    print("most probable node  other  " + "  ".join(f"h={h}" for h in range(6)))
    for j in range(k):
        top_node = nodes[probs[:, j][:, nodes].argmax(1)]
        hit = paths == top_node[:, None]  # (B, 6)
        hops = torch.where(hit.any(1), hit.float().argmax(1) + 1, 0)
        counts = torch.bincount(hops, minlength=7)
        print(f"thought {j + 1}:         " + "  ".join(f"{100 * c / len(prompts):4.0f}" for c in counts))


if __name__ == "__main__":
    main(*sys.argv[1:4])
