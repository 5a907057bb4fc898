"""Where the first written arrow goes, and how often the answer is right after it. On the questions
with a choice (a gold child of the one asked about and another), the first arrow is counted as to a
gold child, to another child, straight to the answer (a fact the question does not have, skipping
the steps), to another node, or not from the one asked about; with the right answers in each.

    python results/2026-12-07-cpu-arrows-features/elsewhere.py QUESTIONS.json CKPT.pt [CKPT.pt ...]

Run from the repository root.
"""
import importlib.util
import sys
from pathlib import Path

here = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("arrows_choice", here.parents[1] / "2026-12-06-cpu-arrows" / "choice.py")
arrows_choice = importlib.util.module_from_spec(spec)
spec.loader.exec_module(arrows_choice)  # puts the repository root and the fork folder on sys.path
import data  # noqa: E402
from fork_diagnostics import written_texts  # noqa: E402

KINDS = ["gold child", "another child", "straight to the answer", "another node", "not from r"]


def first_step(text):
    """(from, to) of the first written arrow, or None."""
    for step in text.split("<|endoftext|>")[0].partition("###")[0].split("."):
        if "->" in step:
            return tuple(w.strip() for w in step.split("->", 1))
    return None


def main(questions, ckpts):
    tok = data.Tokenizer()
    records, graphs, golds, real = arrows_choice.questions_with_choice(questions)
    for path in ckpts:
        model, ckpt = arrows_choice.load_cot_model(path, tok)
        texts = written_texts(model, tok, records, "cot", 0)
        count, right = dict.fromkeys(KINDS, 0), dict.fromkeys(KINDS, 0)
        for i in real:
            children, root, _ = graphs[i]
            step = first_step(texts[i])
            if step is None or step[0] != root:
                kind = "not from r"
            elif step[1] in golds[i]:
                kind = "gold child"
            elif step[1] in children.get(root, []):
                kind = "another child"
            elif step[1] == records[i].answer:
                kind = "straight to the answer"
            else:
                kind = "another node"
            count[kind] += 1
            right[kind] += data.is_correct(texts[i], records[i].answer)
        print(f"{path} ({ckpt['epoch']} epochs), {len(real)} questions with a choice: " + "; ".join(
            f"{k} {100 * count[k] / len(real):.1f}% (answer right in {right[k]})" for k in KINDS), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
