"""How a CoT checkpoint's answers and chains depend on the depth of the question.

    python results/2026-12-06-cpu-by-steps/cot_by_steps.py out/depth-cot/epoch2.pt data/prosqa-mini/valid.json

Greedy chains (as train.py evaluates), the questions grouped by the number of steps of their gold
chain. For each group: accuracy; how often the first step written is a real edge out of the
person; at every step the chain takes from a node that can still reach the answer, how often it
goes to a node that can too, beside what naming a child of that node at random would get; the
chain's path category (analysis.classify_path). Run from the repository root.
"""
import collections
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import analysis  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


@torch.no_grad()
def chains(model, tok, records, batch_size=100):
    texts = []
    for i in range(0, len(records), batch_size):
        rows = records[i:i + batch_size]
        out = generate(model, [data.inference_prompt(tok, r, "cot", 0) for r in rows], tok.eos, max_new_tokens=128)
        texts += [tok.decode(t) for t in out["tokens"]]
    return texts


def choices(graph, text):
    """The choices a written chain makes while it can still reach the answer, as a list of pairs
    (kept, chance), one per step from a node v that reaches the answer and is not the answer
    itself, for as long as the chain states real edges that connect: kept is 1 when the step goes
    to a node that still reaches the answer, chance is the share of v's children that do (what
    naming a child at random would get). The first pair, if any, is the step out of the person."""
    lines, _ = analysis.split_generation(text)
    children = analysis.children_lists(graph)
    made, at = [], graph["root"]
    for edge in analysis.parse_chain(graph, lines):
        if edge is None or edge[0] != at or at == graph["target"] or not analysis.reaches_target(graph, at):
            break
        share = sum(analysis.reaches_target(graph, c) for c in children[at]) / len(children[at])
        made.append((int(analysis.reaches_target(graph, edge[1])), share))
        at = edge[1]
    return made


def main(ckpt_path, valid_file):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()  # a clear error if not train.py's
    if ckpt["config"]["method"] != "cot":
        raise SystemExit(f"{ckpt_path}: a {ckpt['config']['method']!r} checkpoint, not CoT")
    records = data.load_json_records(valid_file)
    for i, rec in enumerate(records):
        if rec.graph is None:
            raise SystemExit(f"{valid_file}: record {i} has no graph fields {data.GRAPH_FIELDS}: "
                             f"this needs ProsQA records")
    texts = chains(model, tok, records)
    right = [data.is_correct(t, r.answer) for r, t in zip(records, texts)]
    by_steps = analysis.accuracy_by_steps(records, right)
    print(f"{ckpt_path} (epoch {ckpt['epoch'] - 1}) on {valid_file}: accuracy {sum(right) / len(records):.3f}")
    for n, cell in by_steps.items():
        group = [(r, t) for r, t in zip(records, texts) if len(r.steps) == n]
        per_chain = [choices(r.graph, t) for r, t in group]
        made = [c for chain in per_chain for c in chain]
        cats = collections.Counter(analysis.classify_path(r.graph, t) for r, t in group)
        se = 100 * math.sqrt(cell["accuracy"] * (1 - cell["accuracy"]) / cell["n"])
        print(f"  {n} steps ({cell['n']} questions): accuracy {100 * cell['accuracy']:.1f}% (+-{se:.1f}) | "
              f"first step a real edge from the person {100 * sum(map(bool, per_chain)) / cell['n']:.1f}% | "
              f"{len(made)} choices from nodes that reach the answer, kept on a branch that does "
              f"{100 * sum(m for m, _ in made) / max(len(made), 1):.1f}% (a child at random "
              f"{100 * sum(r for _, r in made) / max(len(made), 1):.1f}%) | "
              + ", ".join(f"{c} {100 * cats[c] / cell['n']:.1f}%" for c in analysis.CATEGORIES if cats[c]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
