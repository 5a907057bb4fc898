"""A toy graph search where a written chain must choose a branch before it can see where it leads.

Two roots (r, s), each with two branches that are chains of D nodes; every node is a single-token
letter, drawn at random for each question. The question lists the arrows in random order and asks
which of two leaves r reaches: the end of one of r's branches (the answer) or the end of one of
s's branches (the distractor). The other branch of r ends at a leaf that is not an option.

    r -> A1 -> A2 -> ... -> AD  (the answer)       s -> C1 -> ... -> CD
    r -> B1 -> B2 -> ... -> BD  (a dead end)       s -> E1 -> ... -> ED   (one of CD, ED: the distractor)

The chain is the path from r to the answer, one arrow per step. Its first step is the only choice
in it, and making it right needs the branch traced back from the answer: D - 1 lookups, one after
the other, before the first arrow is written. Guessing the answer scores 50%; a chain that picks
r's branch at random and then guesses between the options scores 75%.

    python make_fork.py --n 20000 --seed 0 --out data/fork/train.json
    python make_fork.py --n 20000 --seed 0 --depth 1 2 3 4 --out data/fork-mix/train.json  # D per question

With several depths, each question's D is drawn uniformly from them. --roots R and --children K
(2 and 2 by default, as above) give R roots of K branches each: more arrows to read, and K
branches of r to choose from; the distractor ends one of the other roots' branches.
"""
import argparse
import json
import os
import random

LETTERS = list("abcdefghijklmnopqrstuvwxyz")  # " a" .. " z" are single GPT-2 tokens


def make_question(rng, depth, roots=2, children=2):
    names = rng.sample(LETTERS, roots + roots * children * depth)
    root_names, rest = names[:roots], names[roots:]
    r = root_names[0]
    # `children` branches from each root, r's first: A, B (from r), C, E (from s) by default
    branches = [rest[i * depth:(i + 1) * depth] for i in range(roots * children)]
    arrows = []
    for root, branch in zip([x for x in root_names for _ in range(children)], branches):
        path = [root] + branch
        arrows += list(zip(path, path[1:]))
    rng.shuffle(arrows)
    answer, distractor = branches[0][-1], rng.choice([b[-1] for b in branches[children:]])
    options = [answer, distractor]
    rng.shuffle(options)
    question = " ".join(f"{a} -> {b}." for a, b in arrows) + f" Does {r} reach {options[0]} or {options[1]}?"
    gold = [r] + branches[0]
    steps = [f" {a} -> {b}." for a, b in zip(gold, gold[1:])]  # same tokens as in the question
    return {"question": question, "steps": steps, "answer": answer}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--depth", type=int, nargs="+", default=[4])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--roots", type=int, default=2, help="r and the roots of the distractor's side")
    p.add_argument("--children", type=int, default=2, help="branches from each root")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if args.roots < 2 or args.children < 2:
        p.error("--roots and --children must be 2 or more: a distractor's root, and a dead branch of r")
    most = (len(LETTERS) - args.roots) // (args.roots * args.children)
    if not all(1 <= d <= most for d in args.depth):
        p.error(f"--depth must be in 1..{most} with {args.roots} roots of {args.children} branches")
    rng = random.Random(args.seed)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    # one depth: no draw, so the files of a single depth stay as they were before --depth took a list
    depths = (lambda: rng.choice(args.depth)) if len(args.depth) > 1 else (lambda: args.depth[0])
    questions = [make_question(rng, depths(), args.roots, args.children) for _ in range(args.n)]
    # write, then rename: a run.sh started beside another rewrites the same file while a train.py
    # may be reading it (same content, same seed); the pid keeps two writers' temporary files apart
    tmp = f"{args.out}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(questions, f, indent=0)
    os.replace(tmp, args.out)
