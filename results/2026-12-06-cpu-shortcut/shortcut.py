"""A rule that answers ProsQA without reading who is asked about, and whether models follow it.

    python results/2026-12-06-cpu-shortcut/shortcut.py QUESTIONS.json [CKPT.pt | ANALYSIS.json ...]

A ProsQA answer is a leaf that only the asked person reaches, the distractor a leaf that only the
other root reaches, and the generator (like the released data, data.py's choice 4) makes the answer
the asked person's *farthest* such leaf. So the answer tends to lie deeper below the people than
the distractor does, and a rule that never looks at the person asked about can pick it: for each
option, its distance from the nearest person (parentless node) of the graph, following the edges
backwards; choose the option that is farther. With only h backward hops the rule sees distances
up to h (anything farther counts as h + 1).

For the question file: how often the rule is right, tied, wrong, for h = 1, 2, 3 and unbounded,
and how far answer and distractor lie from their nearest person. For each checkpoint (any method
of train.py; generated greedily as train.py evaluates it): accuracy by the rule's outcome and by
the distractor's distance. A model that searches from the asked person should not care about
either; a model that uses the rule should be near 100% where it decides right and near 50% where
it ties. An analysis.json of analysis.py, run on QUESTIONS.json, is read the same way for each
k, from the texts it stored (the script stops if they do not give back its accuracy). Run from
the repository root.
"""
import argparse
import collections
import json
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402

OUTCOMES = ("right", "tie", "wrong")


def person_distances(graph):
    """Shortest distance of every node from the nearest parentless node (a person)."""
    children = [[] for _ in graph["idx_to_symbol"]]
    for parent, child in graph["edges"]:
        children[parent].append(child)
    return data.person_distances(children)


def other_depths(graph):
    """Two weaker measures of depth per node: the number of its ancestors, and its longest distance
    from a person."""
    n = len(graph["idx_to_symbol"])
    parents = [[] for _ in range(n)]
    for parent, child in graph["edges"]:
        parents[child].append(parent)

    def ancestors(v):
        seen, todo = set(), [v]
        while todo:
            for p in parents[todo.pop()]:
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    memo = {}

    def longest(v):
        if v not in memo:
            memo[v] = max((longest(p) + 1 for p in parents[v]), default=0)
        return memo[v]

    return {"ancestors": [len(ancestors(v)) for v in range(n)], "longest": [longest(v) for v in range(n)]}


def rule_outcome(graph, hops=None):
    """'right', 'tie' or 'wrong': the option farther from its nearest person (distances seen up to
    `hops`; None: unbounded) against the answer."""
    dist = person_distances(graph)
    seen = [min(dist[graph[o]], hops + 1) if hops else dist[graph[o]] for o in ("target", "neg_target")]
    return "right" if seen[0] > seen[1] else "tie" if seen[0] == seen[1] else "wrong"


def rule_accuracy(records, hops=None):
    outcomes = collections.Counter(rule_outcome(r.graph, hops) for r in records)
    return {o: outcomes[o] / len(records) for o in OUTCOMES}


@torch.no_grad()
def answers_right(model, tok, records, method, n_latent, eot, batch_size=100):
    """One bool per record: train.evaluate's greedy generation, kept per question."""
    latent = method in data.LATENT_METHODS
    right = []
    for i in range(0, len(records), batch_size):
        rows = records[i:i + batch_size]
        out = generate(model, [data.inference_prompt(tok, r, method, n_latent) for r in rows], tok.eos,
                       n_latent=n_latent if latent else 0, after_thoughts=[tok.eot] if latent and eot else [],
                       max_new_tokens=128)
        right += [data.is_correct(tok.decode(t), r.answer) for r, t in zip(rows, out["tokens"])]
    return right


def grouped(records, right, key):
    cells = {}
    for rec, ok in zip(records, right):
        cells.setdefault(key(rec), []).append(ok)
    return cells


def cell_text(oks):
    p = sum(oks) / len(oks)
    return f"{100 * p:5.1f} +-{100 * math.sqrt(p * (1 - p) / len(oks)):4.1f} ({len(oks)})"


def main(valid_file, paths):
    records = data.load_json_records(valid_file)
    for i, rec in enumerate(records):
        if rec.graph is None:
            raise SystemExit(f"{valid_file}: record {i} has no graph fields {data.GRAPH_FIELDS}: "
                             f"this needs ProsQA records")
    print(f"{valid_file}: {len(records)} questions")
    print("the rule (choose the option farther from its nearest person), right / tie / wrong in %, "
          "and its accuracy with ties guessed:")
    for hops in (1, 2, 3, None):
        acc = rule_accuracy(records, hops)
        print(f"  {'unbounded' if hops is None else f'{hops} hops':>9}: "
              + " / ".join(f"{100 * acc[o]:.1f}" for o in OUTCOMES)
              + f"  -> {100 * (acc['right'] + acc['tie'] / 2):.1f}%")
    for measure in ("ancestors", "longest"):
        outcomes = collections.Counter()
        for rec in records:
            depth = other_depths(rec.graph)[measure]
            a, b = depth[rec.graph["target"]], depth[rec.graph["neg_target"]]
            outcomes["right" if a > b else "tie" if a == b else "wrong"] += 1
        what = "more ancestors" if measure == "ancestors" else "the longer longest path from a person"
        print(f"  choosing the option with {what}: "
              + " / ".join(f"{100 * outcomes[o] / len(records):.1f}" for o in OUTCOMES)
              + f"  -> {100 * (outcomes['right'] + outcomes['tie'] / 2) / len(records):.1f}%")
    for option in ("target", "neg_target"):
        counts = collections.Counter(person_distances(r.graph)[r.graph[option]] for r in records)
        print(f"  {option:>10} distance from its nearest person: "
              + ", ".join(f"{d}: {counts[d]}" for d in sorted(counts)))
    by_rule = lambda rec: rule_outcome(rec.graph)  # noqa: E731
    by_neg = lambda rec: min(person_distances(rec.graph)[rec.graph["neg_target"]], 3)  # noqa: E731
    tok = data.Tokenizer()
    for path in paths:
        if path.endswith(".json"):
            runs = stored_answers(path, records)
        else:
            ckpt = torch.load(path, map_location="cpu", weights_only=True)
            model = train.model_from_checkpoint(ckpt, tok, path).eval()
            saved = ckpt["config"]
            n_latent = train.thoughts_at_stage(argparse.Namespace(**saved), ckpt["stage"])
            right = answers_right(model, tok, records, saved["method"], n_latent, not saved.get("no_eot", False))
            runs = {f"{saved['method']}, {n_latent} thoughts, epoch {ckpt['epoch'] - 1}": right}
        for what, right in runs.items():
            print(f"\n{path} ({what}): accuracy {cell_text(right)}")
            cells = grouped(records, right, by_rule)
            print("  by the rule's outcome:  "
                  + " | ".join(f"{o} {cell_text(cells[o])}" for o in OUTCOMES if o in cells))
            cells = grouped(records, right, by_neg)
            print("  by the distractor's distance from its nearest person:  "
                  + " | ".join(f"{d if d < 3 else '3+'}: {cell_text(cells[d])}" for d in sorted(cells)))


def stored_answers(path, records):
    """{'k = K': one bool per record} from the texts an analysis.json stored for each k."""
    numbers = json.loads(Path(path).read_text())
    runs = {}
    for k, r in numbers["interpolation"].items():
        if len(r["texts"]) != len(records):
            raise SystemExit(f"{path}: {len(r['texts'])} texts for {len(records)} questions")
        right = [data.is_correct(t, rec.answer) for rec, t in zip(records, r["texts"])]
        if sum(right) / len(right) != r["accuracy"]:
            raise SystemExit(f"{path}, k = {k}: the texts give {sum(right) / len(right):.4f}, the file "
                             f"says {r['accuracy']:.4f}: not the questions it was run on")
        runs[f"{numbers['ckpt']}, k = {k}"] = right
    return runs


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
