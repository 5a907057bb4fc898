"""The first step's choice of a CoT model, on the questions where there is a choice to make.

    python results/2026-12-06-cpu-fresh-cot/choice.py QUESTIONS.json CKPT.pt [CKPT.pt ...]

swap.py (../2026-12-06-cpu-two-thoughts/) scores the choice over every question, but in many the
person asked about has one child, or only gold children, and any choice is right. This keeps the
questions where the person has a child on a shortest path to the answer (gold) and one that is
not, and reports, teacher-forced after "<person> is a", how often the best-valued child is a gold
one, beside what picking a child at random scores on the same questions. Run from the repository
root.
"""
import sys
from pathlib import Path

import torch

here = Path(__file__).resolve()
sys.path.insert(0, str(here.parents[2]))  # the repository root
sys.path.insert(0, str(here.parents[1] / "2026-12-06-cpu-two-thoughts"))
import data  # noqa: E402
from analysis import children_lists  # noqa: E402
from swap import concept_values, gold_children  # noqa: E402
from train import model_from_checkpoint  # noqa: E402


def load_cot_model(path, tok):
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    if ckpt["config"]["method"] != "cot":
        raise SystemExit(f"{path}: a {ckpt['config']['method']} model, not CoT")
    return model_from_checkpoint(ckpt, tok, path).eval(), ckpt


def main(questions, ckpts):
    tok = data.Tokenizer()
    records = data.load_json_records(questions)
    graphs = [r.graph for r in records]
    kids = [children_lists(g)[g["root"]] for g in graphs]
    golds = [gold_children(g) for g in graphs]
    real = [i for i in range(len(records)) if 0 < len(golds[i]) < len(kids[i])]
    chance = sum(len(golds[i]) / len(kids[i]) for i in real) / len(real)
    print(f"{questions}: {len(records)} questions, {len(real)} with a choice (a gold child and another); "
          f"a child at random is gold in {100 * chance:.1f}% of those")
    for path in ckpts:
        model, _ = load_cot_model(path, tok)
        right = 0
        for i in real:
            values = concept_values(model, tok, records[i], "cot")
            right += max(kids[i], key=values.get) in golds[i]
        p = right / len(real)
        print(f"    {path}: gold child best in {100 * p:.1f}% +- {100 * (p * (1 - p) / len(real)) ** 0.5:.1f}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
