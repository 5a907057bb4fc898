"""A Coconut model given other numbers of thoughts than it was trained with.

    python results/2026-12-07-cpu-arrows-4steps-c2/counts.py QUESTIONS.json CKPT.pt K [K ...]

For each K: the accuracy (greedy, as train.py evaluates, with K thoughts) and how often the text
after the thoughts has the form the model was trained to write, "### X" with X one of the two
options, and the accuracy on those; then what it wrote on the first question. Run from the
repository root.
"""
import importlib.util
import sys
from pathlib import Path

import torch

here = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("thought", here.parents[1] / "2026-12-07-cpu-arrows-coconut" / "thought.py")
thought = importlib.util.module_from_spec(spec)
spec.loader.exec_module(thought)  # puts the repository root on sys.path
data = thought.data


def main(questions, path, ks):
    tok = data.Tokenizer()
    records, graphs, _, _ = thought.arrows_choice.questions_with_choice(questions)
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model = thought.model_from_checkpoint(ckpt, tok, path).eval()
    for k in ks:
        texts = thought.written_texts(model, tok, records, ckpt["config"]["method"], k)
        answers = [t.replace("<|endoftext|>", "").strip() for t in texts]
        right = [data.is_correct(t, r.answer) for t, r in zip(texts, records)]
        formed = [a.startswith("###") and a[3:].strip() in graphs[i][2] for i, a in enumerate(answers)]
        n_formed = sum(formed)
        right_formed = sum(r for r, f in zip(right, formed) if f)
        on_formed = f"{100 * right_formed / n_formed:.1f}%" if n_formed else "none to score"
        print(f"{path}, {k} thoughts, {len(records)} questions of {questions}: accuracy "
              f"{100 * sum(right) / len(records):.1f}% | '### option' {100 * n_formed / len(records):.1f}%"
              f", right on those {on_formed} | e.g. {answers[0]!r}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], [int(k) for k in sys.argv[3:]])
