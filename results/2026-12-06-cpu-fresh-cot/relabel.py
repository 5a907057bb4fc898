"""ProsQA questions with every concept and name one BPE token long: the same graphs, other words.

    python results/2026-12-06-cpu-fresh-cot/relabel.py IN.json OUT.json

A ProsQA concept ("wumpus", "scrompus") is 2 to 4 GPT-2 tokens that all end in "pus"; two names
(Fae, Wren) are 2 tokens. This writes the same records (question, steps, answer, idx_to_symbol)
with each of the 38 concepts replaced by a common noun and each name by a name, all one token
with the leading space, so that the graph is the same and reading a fact is a lookup of one token.
Run from the repository root.
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402

NOUNS = ["cat", "dog", "bird", "fish", "horse", "cow", "sheep", "goat", "lion", "bear", "wolf", "fox",
         "mouse", "frog", "snake", "duck", "tree", "stone", "river", "cloud", "star", "moon", "ship",
         "car", "book", "chair", "table", "door", "wall", "road", "bridge", "tower", "shirt", "hat",
         "coat", "ring", "bell", "lamp"]
NAMES = {"Fae": "Kate", "Wren": "Ray"}


def mapping(tok):
    words = dict(zip(data.PROSQA_CONCEPTS, NOUNS)) | NAMES
    assert len(set(words.values())) == len(words) and not set(words.values()) & set(data.PROSQA_NAMES)
    kept = [n for n in data.PROSQA_NAMES if n not in NAMES]
    for w in list(words.values()) + kept:
        assert len(tok.encode(" " + w)) == 1, f"{w!r} is not one token"
    return words


def relabel(rec, words):
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")
    swap = lambda text: pattern.sub(lambda m: words[m.group(1)], text)
    out = dict(rec, question=swap(rec["question"]), answer=swap(rec["answer"]),
               steps=[swap(s) for s in rec["steps"]])
    if "idx_to_symbol" in rec:
        out["idx_to_symbol"] = [words.get(s, s) for s in rec["idx_to_symbol"]]
    return out


if __name__ == "__main__":
    src, dst = sys.argv[1:3]
    words = mapping(data.Tokenizer())
    records = [relabel(r, words) for r in json.load(open(src))]
    json.dump(records, open(dst, "w"), indent=1)
    print(f"wrote {len(records)} relabelled records to {dst}")
