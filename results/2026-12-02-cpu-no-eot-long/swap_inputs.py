"""Does the second thought slot read its own input or the thought one back in its window?

    python results/2026-12-02-cpu-no-eot-long/swap_inputs.py CKPT VALID_JSON

For the first 300 validation questions of the hops toy, runs the prompt, thought 1 (the output
at <bot>) and thought 2 (the output of slot 0) by plain recomputation, then the pass of slot 1
(the second slot) three ways: as trained; with its own input, thought 2, replaced by thought 2
of another question (rows rolled by one); with thought 1, which that slot's --prev_tokens window
sees one back, replaced by thought 1 of another question. For each way it prints the share of
questions (%) whose slot-1 output, under the LM head, names: the node h hops from this question's
start (h = 0..3), the node the swapped-in thought names ("fed"), and the node one hop on from it
in this question's graph ("fed+1").
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-02-cpu-hop-window"))
from window_ablate import load  # noqa: E402


@torch.no_grad()
def main(ckpt_path, valid_path):
    tok, model, prompts, paths = load(ckpt_path, valid_path, 2, 4)  # paths (B, 5)
    ids = torch.tensor(prompts)  # (B, L): every hops question has the same length
    B = ids.size(0)
    succ = torch.full((B, model.config.vocab_size), -1)  # succ[b, node]: the node one hop on in row b's graph
    for h in range(paths.size(1) - 1):
        succ[torch.arange(B), paths[:, h]] = paths[:, h + 1]

    def last_hidden(x):  # (B, T, C) inputs -> (B, C) output of the last position
        return model(embeds=model.window(x), compute_logits=False)[1][:, -1]

    def name(h):  # (B, C) -> (B,) token id the LM head names
        return model.lm_head(h).argmax(-1)

    x = model.transformer.wte(ids)
    t1 = last_hidden(x)  # output at <bot>: thought 1, the input of slot 0
    t2 = last_hidden(torch.cat([x, t1[:, None]], 1))  # output of slot 0: the input of slot 1
    def roll(t):  # (B, C): each row gets another question's thought
        return torch.roll(t, 1, 0)

    ways = {"as trained": (t1, t2, None),
            "own input <- other question's thought 2": (t1, roll(t2), roll(t2)),
            "one back <- other question's thought 1": (roll(t1), t2, roll(t1))}
    print(f"{ckpt_path}: what slot 1's output names, % of {B} questions")
    print("way                                        " + "  ".join(f"h={h}" for h in range(4)) + "  fed  fed+1")
    for way, (a, b, fed) in ways.items():
        y = name(last_hidden(torch.cat([x, a[:, None], b[:, None]], 1)))  # (B,)
        cells = [(y == paths[:, h]).float().mean() for h in range(4)]
        if fed is not None:
            f = name(fed)
            cells += [(y == f).float().mean(), (y == succ[torch.arange(B), f]).float().mean()]
        print(f"{way:42s} " + "  ".join(f"{100 * c:4.0f}" for c in cells))


if __name__ == "__main__":
    main(*sys.argv[1:3])
