"""Rewrite a hops file so every step of the chain begins with the same word, as ProsQA's do.

ProsQA's steps read "Every terpus is a brimpus.": the concept a thought should carry comes after
a word that is the same in every step. The hops toy's steps begin with the node itself
(" g -> o."), so without <eot> the last thought slot is trained to name that node. This writes
" then g -> o." instead, so that the last slot predicts a constant and the node comes one
position later, as in ProsQA.

    python prefix_steps.py data/hops/train.json data/hops-then/train.json
"""
import json
import os
import sys

import tiktoken

PREFIX = " then"  # one GPT-2 token; " then g" stays two tokens (checked in main)

if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    records = json.load(open(src))
    for r in records:
        r["steps"] = [PREFIX + s for s in r["steps"]]
    enc = tiktoken.get_encoding("gpt2")
    first = records[0]["steps"][0]
    if enc.encode(first)[:2] != enc.encode(PREFIX) + enc.encode(first[len(PREFIX):])[:1]:
        raise SystemExit(f"{src}: {first!r} does not tokenize as {PREFIX!r} followed by the step's own first token")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w") as f:
        json.dump(records, f, indent=0)
