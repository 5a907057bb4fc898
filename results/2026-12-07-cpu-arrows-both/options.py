"""How often a CoT model's first written arrow goes from the one asked about straight to one of the
two options, on all questions of a file: a model that has not learned to read the facts can still
write "r -> t." and answer t, which on a 1-step question is the gold child half the time.

    python results/2026-12-07-cpu-arrows-both/options.py QUESTIONS.json CKPT.pt [CKPT.pt ...]

Counts, among all questions, first arrows from r to an option that is a child of r (a fact of the
question), to an option that is not (a fact it does not have), and anything else. Run from the
repository root.
"""
import importlib.util
import sys
from pathlib import Path

here = Path(__file__).resolve()
features = here.parents[1] / "2026-12-07-cpu-arrows-features"
spec = importlib.util.spec_from_file_location("elsewhere", features / "elsewhere.py")
elsewhere = importlib.util.module_from_spec(spec)
spec.loader.exec_module(elsewhere)  # loads ../2026-12-06-cpu-arrows/choice.py and puts the root on sys.path
import data  # noqa: E402
from fork_diagnostics import written_texts  # noqa: E402


def main(questions, ckpts):
    tok = data.Tokenizer()
    records = data.load_json_records(questions)
    graphs = [elsewhere.arrows_choice.read_graph(r.question, f"{questions}: record {i}")
              for i, r in enumerate(records)]
    n = len(records)
    for path in ckpts:
        model, ckpt = elsewhere.arrows_choice.load_cot_model(path, tok)
        texts = written_texts(model, tok, records, "cot", 0)
        to_child, to_other, right = 0, 0, 0
        for (children, root, options), text, rec in zip(graphs, texts, records):
            step = elsewhere.first_step(text)
            if step is not None and step[0] == root and step[1] in options:
                is_child = step[1] in children.get(root, [])
                to_child += is_child
                to_other += not is_child
                right += data.is_correct(text, rec.answer)
        print(f"{path} ({ckpt['epoch']} epochs), {n} questions: first arrow from r to an option that is a "
              f"child {100 * to_child / n:.1f}%, to an option that is not {100 * to_other / n:.1f}% "
              f"(answer right in {right} of these {to_child + to_other}), anything else "
              f"{100 * (n - to_child - to_other) / n:.1f}%", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
