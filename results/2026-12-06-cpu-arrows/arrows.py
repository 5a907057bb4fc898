"""ProsQA's graphs written the fork toy's way: one letter per node, one arrow per fact.

    python results/2026-12-06-cpu-arrows/arrows.py PROSQA.json OUT.json [--seed S]

Each ProsQA question becomes a fork-toy question over the same graph: every person and concept is
a letter drawn at random for the question (" a" .. " z" are single GPT-2 tokens), "Every X is a
Y." and "P is a Y." become "x -> y.", in the question's own order, and "Is P a T or N?" becomes
"Does p reach t or n?" (options in the same order). The chain is the gold steps as arrows, with a
leading space (the same tokens as in the question), the answer the target's letter. The graph
fields stay, with the letters as symbols, so graph-based scorers read the new file as they read
the old one. Run from the repository root.
"""
import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402

LETTERS = list("abcdefghijklmnopqrstuvwxyz")
FACT = re.compile(r"^(?:Every )?(\w+) is an? (\w+)$")
QUESTION = re.compile(r"^Is (\w+) an? (\w+) or (\w+)$")


def as_arrows(rec, rng, where):
    if rec.graph is None:
        raise ValueError(f"{where}: no graph fields (idx_to_symbol, edges, ...): not a ProsQA record")
    symbols = rec.graph["idx_to_symbol"]
    if len(symbols) > len(LETTERS):
        raise ValueError(f"{where}: {len(symbols)} nodes, more than the {len(LETTERS)} letters")
    letter = dict(zip(symbols, rng.sample(LETTERS, len(symbols))))

    def arrow(sentence):
        m = FACT.match(sentence.strip().rstrip("."))
        if not m or m[1] not in letter or m[2] not in letter:
            raise ValueError(f"{where}: not a fact between the record's symbols: {sentence!r}")
        return f"{letter[m[1]]} -> {letter[m[2]]}."

    *facts, ask = rec.question.split(". ")
    q = QUESTION.match(ask.rstrip("?"))
    if not q or not all(q[k] in letter for k in (1, 2, 3)):
        raise ValueError(f"{where}: not a ProsQA question about the record's symbols: {ask!r}")
    question = " ".join(arrow(f) for f in facts) + f" Does {letter[q[1]]} reach {letter[q[2]]} or {letter[q[3]]}?"
    steps = [" " + arrow(s) for s in rec.steps]
    answer = letter[symbols[rec.graph["target"]]]
    graph = dict(rec.graph, idx_to_symbol=[letter[s] for s in symbols])
    return data.Record(question, steps, answer, graph)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    rng = random.Random(args.seed)
    records = data.load_json_records(args.src)
    data.write_json_records([as_arrows(r, rng, f"{args.src}: record {i}") for i, r in enumerate(records)],
                            args.out)
    print(f"wrote {len(records)} questions to {args.out}")
