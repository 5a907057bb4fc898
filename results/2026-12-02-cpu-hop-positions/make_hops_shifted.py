"""The hops toy of ../2026-12-01-cpu-hops/ with questions of different lengths.

Every question of the original toy has the same number of tokens, so every thought slot sits at
the same absolute position in every question, and a learned position embedding lets the model
learn a different operation at each slot. ProsQA's questions differ in length, so there a slot's
position varies from question to question. This script puts a random number (0 to --max_prefix,
uniform) of filler tokens " x" (not a node) before each question of the original generator:

    python make_hops_shifted.py --n 20000 --seed 0 --max_prefix 32 --out data/hops-shift/train.json
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "2026-12-01-cpu-hops"))
from make_hops import make_question  # noqa: E402

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--hops", type=int, default=4)
    p.add_argument("--max_prefix", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)
    items = []
    for _ in range(args.n):
        item = make_question(rng, args.hops)
        # " x x x" is one GPT-2 token per " x"; strip() keeps the question from starting with a space
        item["question"] = (" x" * rng.randint(0, args.max_prefix) + " " + item["question"]).strip()
        items.append(item)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(items, f, indent=0)
