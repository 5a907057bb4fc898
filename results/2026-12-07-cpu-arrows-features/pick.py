"""Questions in arrows (../2026-12-06-cpu-arrows/arrows.py) picked by their number of steps and,
optionally, without detours: a question has a detour when a child of the one asked about that is
not on a shortest path to the answer still reaches the answer by a longer one.

    python results/2026-12-07-cpu-arrows-features/pick.py POOL.json ... --out OUT.json --n1 N1 --n2 N2 [--n3 N3] [--n4 N4] [--no_detour]

Takes the first N1 questions of 1 step, the first N2 of 2 steps, the first N3 of 3 and the first N4
of 4 (in the pools' order) that pass, shuffles them (--seed) and writes --out; fails, naming the
pools, if there are too few.
--count only prints, for each pool and number of steps, the children of the one asked about on
average, how many questions have a choice (a gold child and another) and how many of those a
detour. Run from the repository root.
"""
import argparse
import importlib.util
import random
import sys
from pathlib import Path

here = Path(__file__).resolve()
sys.path.insert(0, str(here.parents[2]))  # the repository root
import data  # noqa: E402

# ../2026-12-06-cpu-arrows/choice.py reads the graph from the text; loaded under its own name, as a
# plain "import choice" would find ../2026-12-06-cpu-fresh-cot/choice.py first
spec = importlib.util.spec_from_file_location("arrows_choice", here.parents[1] / "2026-12-06-cpu-arrows" / "choice.py")
arrows_choice = importlib.util.module_from_spec(spec)
spec.loader.exec_module(arrows_choice)


def describe(rec, where):
    """(number of steps, has a choice, has a detour, children of the one asked about) of one question."""
    children, root, _ = arrows_choice.read_graph(rec.question, where)
    gold = arrows_choice.gold_children(children, root, rec.answer, where)
    reach = arrows_choice.distances_to(children, rec.answer)  # the nodes that reach the answer
    others = [c for c in children.get(root, []) if c not in gold]
    return len(rec.steps), bool(gold and others), any(c in reach for c in others), len(children.get(root, []))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("pools", nargs="+")
    p.add_argument("--n1", type=int, default=0)
    p.add_argument("--n2", type=int, default=0)
    p.add_argument("--n3", type=int, default=0)
    p.add_argument("--n4", type=int, default=0)
    p.add_argument("--no_detour", action="store_true")
    p.add_argument("--count", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    args = p.parse_args()
    if not args.count and not args.out:
        p.error("--out is needed (or --count)")
    want = {1: args.n1, 2: args.n2, 3: args.n3, 4: args.n4}
    if min(want.values()) < 0:
        p.error(f"--n1 to --n4 count questions: {list(want.values())}")
    picked = {steps: [] for steps in want}
    for pool in args.pools:
        counts = {}
        for i, rec in enumerate(data.load_json_records(pool)):
            steps, choice, detour, n_children = describe(rec, f"{pool}: record {i}")
            c = counts.setdefault(steps, [0, 0, 0, 0])
            c[0] += 1; c[1] += choice; c[2] += choice and detour; c[3] += n_children
            if not args.count and steps in want and len(picked[steps]) < want[steps] \
                    and not (args.no_detour and detour):
                picked[steps].append(rec)
        if args.count:
            for steps, (n, choice, detour, n_children) in sorted(counts.items()):
                print(f"{pool}: {steps} steps: {n} questions, {n_children / n:.2f} children of the one "
                      f"asked about on average, {choice} with a choice, "
                      f"{detour} of them with a detour ({100 * detour / max(choice, 1):.1f}%)")
    if args.count:
        return
    for steps, n in want.items():
        if len(picked[steps]) < n:
            raise SystemExit(f"{', '.join(args.pools)}: only {len(picked[steps])} questions of {steps} steps "
                             f"pass{' --no_detour' if args.no_detour else ''}, --n{steps} asks for {n}")
    records = [rec for steps in sorted(picked) for rec in picked[steps]]
    random.Random(args.seed).shuffle(records)
    data.write_json_records(records, args.out)
    print(f"wrote {len(records)} questions ({args.n1} of 1 step, {args.n2} of 2, {args.n3} of 3, {args.n4} of 4) to {args.out}")


if __name__ == "__main__":
    main()
