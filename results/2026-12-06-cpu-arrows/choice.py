"""The first arrow a CoT model writes, on questions written as arrows (the fork toy's, arrows.py's).

    python results/2026-12-06-cpu-arrows/choice.py QUESTIONS.json CKPT.pt [CKPT.pt ...]

The graph is read from the question's text ("x -> y." facts, "Does r reach t or n?"). A child of
r is gold when it lies on a shortest path from r to the answer. The questions with a choice are
those where r has a gold child and another. For each checkpoint, greedy as train.py evaluates:
the answer's accuracy on all questions, and on the questions with a choice where the first arrow
written goes from r to a gold child, to another child, or elsewhere, beside what a child drawn at
random scores. Run from the repository root.
"""
import sys
from collections import deque
from pathlib import Path


here = Path(__file__).resolve()
sys.path.insert(0, str(here.parents[2]))  # the repository root
sys.path.insert(0, str(here.parents[1] / "2026-12-05-cpu-fork"))
sys.path.insert(0, str(here.parents[1] / "2026-12-06-cpu-fresh-cot"))
import data  # noqa: E402
from choice import load_cot_model  # noqa: E402  (../2026-12-06-cpu-fresh-cot/choice.py)
from fork_diagnostics import written_texts  # noqa: E402


def read_graph(question, where):
    """(children: node -> list of nodes, the node asked about, the two options) from the text."""
    try:
        facts, ask = question.rsplit(" Does ", 1)
        children = {}
        for fact in facts.split("."):
            if fact.strip():
                a, b = (w.strip() for w in fact.split("->"))
                children.setdefault(a, []).append(b)
        root, options = ask.rstrip("?").split(" reach ")
        return children, root, options.split(" or ")
    except ValueError:
        raise SystemExit(f"{where}: not a question in arrows (\"x -> y. ... Does r reach t or n?\"): "
                         f"{question!r}") from None


def distances_to(children, target):
    """Edges from each node to target (a node that cannot reach it is absent)."""
    parents = {}
    for a, bs in children.items():
        for b in bs:
            parents.setdefault(b, []).append(a)
    dist, todo = {target: 0}, deque([target])
    while todo:
        v = todo.popleft()
        for u in parents.get(v, []):
            if u not in dist:
                dist[u] = dist[v] + 1
                todo.append(u)
    return dist


def gold_children(children, root, target, where):
    dist = distances_to(children, target)
    if root not in dist:
        raise SystemExit(f"{where}: {root} does not reach the answer {target}")
    return {c for c in children.get(root, []) if dist.get(c) == dist[root] - 1}


def questions_with_choice(questions):
    """(records, graphs, gold children, indices of the questions with a choice) of a file."""
    records = data.load_json_records(questions)
    graphs = [read_graph(r.question, f"{questions}: record {i}") for i, r in enumerate(records)]
    golds = [gold_children(ch, root, r.answer, f"{questions}: record {i}")
             for i, ((ch, root, _), r) in enumerate(zip(graphs, records))]
    real = [i for i, (ch, root, _) in enumerate(graphs) if 0 < len(golds[i]) < len(ch.get(root, []))]
    if not real:
        raise SystemExit(f"{questions}: no question where the one asked about has a gold child and another")
    return records, graphs, golds, real


def first_arrow(text, root):
    """The node the first written arrow from root leads to, or None."""
    chain = text.split("<|endoftext|>")[0].partition("###")[0]
    for step in chain.split("."):
        if "->" in step:
            a, b = (w.strip() for w in step.split("->", 1))
            return b if a == root else None
    return None


def main(questions, ckpts):
    tok = data.Tokenizer()
    records, graphs, golds, real = questions_with_choice(questions)
    chance = sum(len(golds[i]) / len(graphs[i][0][graphs[i][1]]) for i in real) / len(real)
    print(f"{questions}: {len(records)} questions, {len(real)} with a choice (a gold child and another); "
          f"a child at random is gold in {100 * chance:.1f}% of those")
    for path in ckpts:
        model, ckpt = load_cot_model(path, tok)
        texts = written_texts(model, tok, records, "cot", 0)
        right = [data.is_correct(t, r.answer) for t, r in zip(texts, records)]
        gold = other = 0
        for i in real:
            node = first_arrow(texts[i], graphs[i][1])
            gold += node in golds[i]
            other += node in graphs[i][0][graphs[i][1]] and node not in golds[i]
        n = len(real)
        print(f"{path} ({ckpt['epoch']} epochs): accuracy {100 * sum(right) / len(records):.1f}% | with a choice: "
              f"first arrow to a gold child {100 * gold / n:.1f}%, another child {100 * other / n:.1f}%, "
              f"elsewhere {100 * (n - gold - other) / n:.1f}% (answer right {100 * sum(right[i] for i in real) / n:.1f}%)"
              f" | e.g. {texts[real[0]].strip()!r}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
