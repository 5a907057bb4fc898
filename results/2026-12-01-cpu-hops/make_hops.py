"""A toy multi-hop task that a shallow model can only solve by thinking in steps.

Sixteen single-token nodes (the letters a..p) are joined into one random 16-cycle; the question lists
every arrow in random order and asks where H hops from a start node lead. Each step of the chain is
one hop, written as the arrow it follows, so a model that writes (or thinks) one step per pass
needs one lookup per pass, while a model that answers at once needs H lookups stacked in its
layers. The answer is never the start and
is uniform over the other 15 nodes: guessing scores 1/15 = 6.7%.

    python make_hops.py --n 20000 --seed 0 --out data/hops/train.json
"""
import argparse
import json
import os
import random

NODES = list("abcdefghijklmnop")  # " a" .. " p" are single GPT-2 tokens


def make_question(rng, hops):
    order = rng.sample(NODES, len(NODES))
    succ = {order[i]: order[(i + 1) % len(order)] for i in range(len(order))}
    arrows = rng.sample(NODES, len(NODES))           # the arrows, listed in random order
    start = rng.choice(NODES)
    path = [start]
    for _ in range(hops):
        path.append(succ[path[-1]])
    question = " ".join(f"{x} -> {succ[x]}." for x in arrows) + f" Start at {start}, {hops} hops."
    # one arrow per step, " g -> o.": with the leading space, the same tokens as in the question
    steps = [f" {a} -> {b}." for a, b in zip(path, path[1:])]
    return {"question": question, "steps": steps, "answer": path[-1]}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--hops", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump([make_question(rng, args.hops) for _ in range(args.n)], f, indent=0)
