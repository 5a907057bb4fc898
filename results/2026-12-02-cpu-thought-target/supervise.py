"""train.py on the hops toy with an extra loss that tells the thoughts what to hold.

    python results/2026-12-02-cpu-thought-target/supervise.py WEIGHT [--last] TRAIN.PY-FLAGS...

A diagnostic, not Coconut: Coconut never says what a thought should be. Here the final hidden
state at thought slot j (thought j + 2, the one fed into slot j + 1), for every slot but the last,
also gets the LM head's cross-entropy against the node j + 1 hops from the start, times WEIGHT:
one hop per thought. At stage 2 (two thoughts) that is the second thought and the node one hop
on, what thought 2 came to hold in the runs that left stage 2's plateau (linear probes: 100%).
If this extra loss ends the plateau within a few hundred steps, the plateau is the search for
what to carry, not the difficulty of computing it. With --last the last slot's output (not fed
back) also gets a target, the node n hops on, so that its pass learns a hop before the next stage
feeds it back.
"""
import re
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import coconut  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402

tok = data.Tokenizer()


def hop_targets(batch, n_hops):
    """(B, n_hops) token ids of the nodes 1..n_hops hops from each row's start, read from its question."""
    targets = []
    for b, row in enumerate(batch["input_ids"][:, :batch["latent_col"]].tolist()):
        text = tok.decode([t for t in row if t < tok.eos])  # the question, without padding or <bot>
        start = re.search(r"Start at (\w)", text)
        if start is None:
            raise ValueError(f"supervise.py is for the hops toy: row {b} of the batch has no "
                             f"'Start at X' in its question {text[:80]!r}")
        node = start.group(1)
        arrows = dict(re.findall(r"(\w) -> (\w)", text))
        path = []
        for _ in range(n_hops):
            node = arrows[node]
            path.append(tok.encode(" " + node)[0])
        targets.append(path)
    return torch.tensor(targets, device=batch["input_ids"].device)


def loss_with_thought_target(weight, last=False):
    def loss(model, batch, stop_head=None):
        hidden = coconut.continuous_forward(model, batch)  # (B, T, C)
        h = hidden.reshape(-1, hidden.size(-1))[batch["label_pos"]]
        main = F.cross_entropy(model.lm_head(h).float(), batch["label_ids"])
        n, col = batch["max_latent"], batch["latent_col"]
        m = n if last else n - 1  # the slots whose outputs get a target
        if m < 1:
            return main
        # every row of the toy's stages has n thoughts (each question has more steps than stages)
        assert bool((batch["n_latent"] == n).all()), "a row with fewer thoughts than the batch"
        outputs = hidden[:, col:col + m]  # (B, m, C): slot j's output, fed into slot j + 1 if j < n - 1
        logits = model.lm_head(outputs).float()  # (B, m, V)
        extra = F.cross_entropy(logits.flatten(0, 1), hop_targets(batch, m).flatten())
        return main + weight * extra
    return loss


if __name__ == "__main__":
    last = sys.argv[2] == "--last"
    train.coconut_loss = loss_with_thought_target(float(sys.argv[1]), last)
    train.main(sys.argv[3 if last else 2:])
