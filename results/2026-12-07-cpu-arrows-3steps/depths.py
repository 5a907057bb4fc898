"""What each continuous thought decodes to, by how far a node is from the one asked about.

    python results/2026-12-07-cpu-arrows-3steps/depths.py QUESTIONS.json K CKPT.pt

The arrows-coconut folder's readout.py with other roles: the answer, the other option, and for
each depth d = 1..K the nodes d arrows from r (the one asked about; fewest arrows) that lie on a
shortest path from r to the answer ("gold") and those that do not; every other node last (on
K-step questions the gold node K out is the answer, counted there). If the thoughts walk the graph
breadth-first, as the paper reads them, thought d should put its weight on the nodes d arrows out,
the gold ones more. Run from the repository root.
"""
import importlib.util
import sys
from pathlib import Path

here = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("readout", here.parents[1] / "2026-12-07-cpu-arrows-coconut" / "readout.py")
readout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readout)
distances_to = readout.arrows_choice.distances_to


def distances_from(children, root):
    """Fewest arrows from root to each node it reaches: distances_to on the arrows reversed."""
    parents = {}
    for a, bs in children.items():
        for b in bs:
            parents.setdefault(b, []).append(a)
    return distances_to(parents, root)


def roles(k):
    by_depth = [f"{d} out, {kind}" for d in range(1, k + 1) for kind in ("gold", "other")]
    return ("answer", "other option", *by_depth, "other nodes")


def depth_sets(k):
    """sets_of for readout.main: the node sets of roles(k); a node in two roles counts in the first."""
    def sets_of(children, root, golds, answer, other):
        out, to_answer = distances_from(children, root), distances_to(children, answer)
        gold = {v for v, d in out.items() if to_answer.get(v, -1) == to_answer[root] - d}
        nodes = set(children) | {b for bs in children.values() for b in bs}
        sets, seen = [], set()
        by_depth = [s for d in range(1, k + 1) for s in
                    ({v for v in gold if out[v] == d}, {v for v, e in out.items() if e == d} - gold)]
        for s in ({answer}, {other}, *by_depth, nodes):
            sets.append(s - seen)
            seen |= s
        return sets
    return sets_of


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    k = int(sys.argv[2])
    readout.main(sys.argv[1], k, sys.argv[3], roles=roles(k), sets_of=depth_sets(k))
