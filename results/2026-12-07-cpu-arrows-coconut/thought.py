"""What comes after the thoughts, on questions written as arrows, for Coconut and pause-as-thought
models (and CoT, with no thoughts).

    python results/2026-12-07-cpu-arrows-coconut/thought.py QUESTIONS.json K CKPT.pt [CKPT.pt ...]

Greedy, as train.py evaluates, with K thoughts (0 for a CoT model): the answer's accuracy on all
questions and on those with a choice (the one asked about, r, has a gold child, on a shortest path
to the answer, and another child). On those, the first written arrow is counted by where it starts:
at a gold child of r (the thoughts took the first step to the right branch), at another child of r,
at r, or elsewhere; with how often the answer is right after each. Run from the repository root.
"""
import importlib.util
import sys
from pathlib import Path

import torch

here = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("elsewhere", here.parents[1] / "2026-12-07-cpu-arrows-features" / "elsewhere.py")
elsewhere = importlib.util.module_from_spec(spec)
spec.loader.exec_module(elsewhere)  # loads ../2026-12-06-cpu-arrows/choice.py and puts the root on sys.path
arrows_choice = elsewhere.arrows_choice
import data  # noqa: E402
from fork_diagnostics import written_texts  # noqa: E402
from train import model_from_checkpoint  # noqa: E402

KINDS = ["from a gold child", "from another child", "from r", "elsewhere or none"]


def main(questions, k, ckpts):
    tok = data.Tokenizer()
    records, graphs, golds, real = arrows_choice.questions_with_choice(questions)
    print(f"{questions}: {len(records)} questions, {len(real)} with a choice; {k} thoughts")
    for path in ckpts:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        method = ckpt["config"]["method"]
        if (k > 0) == (method == "cot"):
            raise SystemExit(f"{path}: a {method} model, K={k}: K must be 0 for CoT, > 0 for thoughts")
        model = model_from_checkpoint(ckpt, tok, path).eval()
        texts = written_texts(model, tok, records, method, k)
        right = [data.is_correct(t, r.answer) for t, r in zip(texts, records)]
        count, after = dict.fromkeys(KINDS, 0), dict.fromkeys(KINDS, 0)
        for i in real:
            children, root, _ = graphs[i]
            step = elsewhere.first_step(texts[i])
            src = step[0] if step else None
            kind = ("from a gold child" if src in golds[i] else
                    "from another child" if src in children.get(root, []) else
                    "from r" if src == root else "elsewhere or none")
            count[kind] += 1
            after[kind] += right[i]
        n = len(real)
        print(f"{path} ({method}, stage {ckpt['stage']}, {ckpt['epoch']} epochs): accuracy "
              f"{100 * sum(right) / len(records):.1f}%, {100 * sum(right[i] for i in real) / n:.1f}% with a "
              f"choice | first arrow " + "; ".join(f"{kind} {100 * count[kind] / n:.1f}% ({after[kind]} right)"
                                                   for kind in KINDS)
              + f" | e.g. {texts[real[0]].strip()!r}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
