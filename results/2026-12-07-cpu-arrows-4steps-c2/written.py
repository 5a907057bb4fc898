"""How often a Coconut model writes an arrow (a step of the chain) after its thoughts, before "###".

    python results/2026-12-07-cpu-arrows-4steps-c2/written.py QUESTIONS.json K CKPT.pt [CKPT.pt ...]

Greedy with K thoughts, as train.py evaluates. For the stage-3 models of the 4-step runs, which
were trained to write the fourth step after their thoughts on 4-step questions: the share of
answers with " ->" before "###", and the accuracy with and without. Run from the repository root.
"""
import sys
from pathlib import Path

import torch

here = Path(__file__).resolve()
sys.path.insert(0, str(here.parents[2]))  # the repository root
sys.path.insert(0, str(here.parents[1] / "2026-12-05-cpu-fork"))  # fork_diagnostics.py
import data  # noqa: E402
from fork_diagnostics import written_texts  # noqa: E402
from train import model_from_checkpoint  # noqa: E402


def main(questions, k, ckpts):
    tok = data.Tokenizer()
    records = data.load_json_records(questions)
    for path in ckpts:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        model = model_from_checkpoint(ckpt, tok, path).eval()
        texts = written_texts(model, tok, records, ckpt["config"]["method"], k)
        wrote = [" ->" in t.split("###")[0] for t in texts]
        right = [data.is_correct(t, r.answer) for t, r in zip(texts, records)]
        with_arrow = [r for r, w in zip(right, wrote) if w]
        without = [r for r, w in zip(right, wrote) if not w]
        print(f"{path} (stage {ckpt['stage']}), {k} thoughts, {len(records)} questions of {questions}: "
              f"an arrow before ### in {100 * len(with_arrow) / len(records):.1f}% "
              f"(right on {share(with_arrow)} of those, {share(without)} of the others)", flush=True)


def share(right):
    """The share of True in a list, as a percentage, or 'none' for an empty list."""
    return f"{100 * sum(right) / len(right):.1f}%" if right else "none"


if __name__ == "__main__":
    if len(sys.argv) < 4 or not sys.argv[2].isdigit():
        raise SystemExit("usage: python written.py QUESTIONS.json K CKPT.pt [CKPT.pt ...] (K: thoughts)")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
