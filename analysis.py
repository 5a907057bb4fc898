"""
What a Coconut model does in its continuous thoughts on ProsQA: the paper's analysis (section 5,
coconut.md section 8), on a model trained with stage mixing (--uniform_prob), so that it can stop
thinking after any number of thoughts and go on in language.

    python train.py --dataset prosqa --uniform_prob 0.3 --out_dir out/prosqa-coconut-mix
    python analysis.py --ckpt out/prosqa-coconut-mix/best.pt \\
        --valid_file data/prosqa/prosqa_valid.json --out_dir figures
    python analysis.py --ckpt out/prosqa-coconut-mix/best.pt --limit 50 --ks 0,3,6   # a quick look

It writes into --out_dir: analysis.json (every number below) and, when matplotlib is installed,
interpolation.png, search_tree.png, topk_values.png, value_vs_height.png. Reads top to bottom:

  graphs           frontier (nodes k hops from the root), node_height, reaches_target,
                   distractor_depth
  paths            classify_path: correct path / longer path / hallucination / wrong target /
                   correct label / incorrect label, for a chain written after k thoughts
  interpolation    accuracy and path categories when the model must use exactly k thoughts,
                   and the accuracy by the number of steps of the question's gold chain and by
                   the depth of its distractor (distractor_depth: is the model searching?)
  search values    frontier_values: the probability the model gives each frontier node's concept
                   when it is forced back into language after k thoughts
  statistics       top-1/2/3 cumulative values (parallelism), value vs height
  search tree      format_search_tree: one question's tree with its values, as text
  figures          matplotlib, imported only there
  command line
"""

import argparse
import json
import os
from pathlib import Path

import torch

import data
from coconut import continuous_forward, generate
from train import autocast, model_from_checkpoint, to_device

DEFAULT_CKPT = "out/prosqa-coconut-mix/best.pt"

# the path categories, in the order the stacked bars draw them (bottom: the good ones)
CATEGORIES = ("correct_path", "longer_path", "correct_label", "incorrect_label", "wrong_target",
              "hallucination")

# -----------------------------------------------------------------------------
# graphs: the ProsQA DAG of a record (data.Record.graph: idx_to_symbol, edges, root, target,
# neg_target), with edges [parent, child] meaning "every parent is a child"


def children_lists(graph):
    children = [[] for _ in graph["idx_to_symbol"]]
    for a, b in graph["edges"]:
        children[a].append(b)
    return children


def frontier(graph, k):
    """The nodes k hops from the root: those a walk of exactly k edges reaches (the graph is a DAG,
    so walks are paths). k = 0: the root; 1: its children; 2: its grandchildren. A node with paths
    of several lengths is in several frontiers. This is what k thoughts can have reached if each
    thought takes one step, and the set whose values the paper reads after thought k."""
    if k < 0:
        raise ValueError(f"frontier: k must be >= 0, got {k}")
    children = children_lists(graph)
    nodes = {graph["root"]}
    for _ in range(k):
        nodes = {c for v in nodes for c in children[v]}
    return sorted(nodes)


def node_height(graph, node):
    """Height = the SHORTEST distance from node down to a leaf (a leaf has height 0). The paper's
    text says "shortest distance to any leaf", its figure caption "longest"; we take the shortest."""
    children = children_lists(graph)
    dist = data.bfs_distances(children, node)
    return min(d for v, d in enumerate(dist) if d is not None and not children[v])


def reaches_target(graph, node):
    """A frontier node is "correct" when the answer can still be reached from it (the answer itself
    included), "incorrect" otherwise."""
    return data.bfs_distances(children_lists(graph), node)[graph["target"]] is not None


def distractor_depth(graph):
    """How far the distractor lies below its nearest person (any parentless node, whoever is asked
    about). The answer is the asked person's deepest leaf, so it usually lies deeper (data.py,
    choice 9): a model that only checks whether an option is said of a person directly answers the
    questions whose distractor has depth 1 and guesses on the rest, whereas a model that searches
    from the person asked about does not care how deep the distractor is."""
    return data.person_distances(children_lists(graph))[graph["neg_target"]]

# -----------------------------------------------------------------------------
# paths: classify what the model wrote after its thoughts
#
# After k thoughts the model writes a chain of steps and then the answer:
#     "Every terpus is a brimpus.\nEvery brimpus is a lempus.\n### Tom is a lempus.<|endoftext|>"
# With mixing, the model was trained at stage k to drop the first k steps: k thoughts stand for
# the first k hops, and the written chain should start at the node those hops reached. So the
# path we judge is: k latent hops from the root to the chain's first node, then the written edges.
#
#   hallucination    a line that is no fact of the graph (an edge that does not exist, an unknown
#                    word, a malformed or cut-off sentence), two consecutive steps that do not
#                    connect, or a chain whose first node is not k hops from the root (with k = 0:
#                    not the root), i.e. disconnected from where the thoughts could have got
#   correct_path     the chain ends at the answer, and k + (written steps) = the shortest distance
#                    from the root to the answer: the latent hops plus the chain are a shortest path.
#                    Also a chain that stops early at a node v from which the answer is reachable,
#                    when the answer line is right and k + steps + dist(v, answer) is the shortest
#                    distance: a prefix of a shortest path, completed by the answer
#   longer_path      as correct_path, but the whole path is longer than the shortest
#   wrong_target     a valid connected chain that ends elsewhere: at a node the answer cannot be
#                    reached from, or stopping early with a wrong or missing answer line
#   correct_label    no chain written, only the answer, and it is right
#   incorrect_label  no chain written, and the answer is wrong (or missing)
#
# A chain that reaches the answer is judged by its path even if the answer line then says something
# else (rare; the accuracy per k counts the answer line alone).


def gold_answer(graph):
    symbols = graph["idx_to_symbol"]
    return f"{symbols[graph['root']]} is a {symbols[graph['target']]}."  # as data.render_prosqa


def split_generation(text):
    """Generated text -> (the chain's lines, the text from the first '#' on). Anything from
    <|endoftext|> on is ignored. Without a '#' everything is chain (the answer is missing)."""
    text = text.split("<|endoftext|>")[0]
    chain, hash_, answer = text.partition("#")
    lines = [line.strip() for line in chain.split("\n") if line.strip()]
    return lines, hash_ + answer


def parse_chain(graph, lines):
    """Each line -> its edge (parent, child), or None when it states no fact of this graph."""
    symbols = graph["idx_to_symbol"]
    sentence_to_edge = {data.prosqa_sentence(symbols, a, b): (a, b) for a, b in graph["edges"]}
    return [sentence_to_edge.get(line) for line in lines]


def classify_path(graph, generated_text, n_latent=0):
    """The category (one of CATEGORIES) of what a model wrote after n_latent thoughts."""
    lines, answer_part = split_generation(generated_text)
    answer_ok = bool(answer_part) and data.is_correct(answer_part, gold_answer(graph))
    if not lines:
        return "correct_label" if answer_ok else "incorrect_label"
    edges = parse_chain(graph, lines)
    if any(e is None for e in edges):
        return "hallucination"  # an edge that does not exist (or no sentence at all)
    if any(b != a for (_, b), (a, _) in zip(edges, edges[1:])):
        return "hallucination"  # disconnected: a step does not start where the previous one ended
    start, end = edges[0][0], edges[-1][1]
    if start not in frontier(graph, n_latent):
        return "hallucination"  # disconnected from every node the k latent hops can have reached
    children, target = children_lists(graph), graph["target"]
    to_target = data.bfs_distances(children, end)[target]  # None when the answer is out of reach
    if end != target and not (to_target is not None and answer_ok):
        return "wrong_target"
    shortest = data.bfs_distances(children, graph["root"])[target]
    length = n_latent + len(edges) + to_target  # latent hops + written steps + completion (0 at target)
    return "correct_path" if length == shortest else "longer_path"

# -----------------------------------------------------------------------------
# interpolation: force k thoughts, then let the model write the rest in language


@torch.no_grad()
def generate_after_thoughts(model, tok, records, k, batch_size=64, max_new_tokens=128, eot=True):
    """Greedy text each record gets from: question, <bot>, k thoughts, <eot> (as at inference;
    eot=False for a model trained with --no_eot, which writes right after its last thought).
    bf16 on CUDA, as train.evaluate, so that k = 6 gives the accuracy training reported."""
    model.eval()
    device = next(model.parameters()).device
    prompts = [data.inference_prompt(tok, rec, "coconut", k) for rec in records]  # question + <bot>
    limit = model.config.block_size
    for i, p in enumerate(prompts):
        if len(p) + k + int(eot) + max_new_tokens > limit:
            eot_text = " + <eot>" if eot else ""
            raise ValueError(f"record {i}: {len(p)} prompt tokens + {k} thoughts{eot_text} + "
                             f"{max_new_tokens} new tokens exceed the model's context of {limit}")
    order = sorted(range(len(records)), key=lambda i: len(prompts[i]))  # less padding
    texts = [None] * len(records)
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        with autocast(device):
            out = generate(model, [prompts[i] for i in idx], tok.eos, n_latent=k,
                           after_thoughts=[tok.eot] if eot else [], max_new_tokens=max_new_tokens)
        for i, tokens in zip(idx, out["tokens"]):
            texts[i] = tok.decode(tokens)
    return texts


def interpolation(model, tok, records, ks=range(7), batch_size=64, max_new_tokens=128, eot=True):
    """For each k: {accuracy, fractions (category -> share, summing to 1), counts, n, by_steps,
    by_distractor_depth, categories and texts per record}. The paper's figure: accuracy and
    correct paths rise with k."""
    results = {}
    for k in ks:
        texts = generate_after_thoughts(model, tok, records, k, batch_size, max_new_tokens, eot)
        cats = [classify_path(rec.graph, text, k) for rec, text in zip(records, texts)]
        right = [data.is_correct(text, rec.answer) for rec, text in zip(records, texts)]
        counts = {c: cats.count(c) for c in CATEGORIES}
        results[k] = dict(accuracy=sum(right) / len(records), n=len(records), counts=counts,
                          fractions={c: counts[c] / len(records) for c in CATEGORIES},
                          by_steps=accuracy_by_steps(records, right),
                          by_distractor_depth=accuracy_by_distractor_depth(records, right),
                          categories=cats, texts=texts)
    return results


def accuracy_by(key, records, right):
    """{key(record): {correct, n, accuracy}}, sorted by key (right: one bool per record)."""
    cells = {}
    for rec, ok in zip(records, right):
        cell = cells.setdefault(key(rec), dict(correct=0, n=0))
        cell["correct"] += int(ok)
        cell["n"] += 1
    for cell in cells.values():
        cell["accuracy"] = cell["correct"] / cell["n"]
    return dict(sorted(cells.items()))


def accuracy_by_steps(records, right):
    """Accuracy over the questions whose gold chain has n steps, for each n. A deeper question needs
    a longer search before the first step can be chosen well; this shows whether the accuracy falls
    with the depth, and whether thoughts help there."""
    return accuracy_by(lambda rec: len(rec.steps), records, right)


def accuracy_by_distractor_depth(records, right):
    """Accuracy by distractor_depth, for each depth: near 100% at depth 1 and near 50% beyond is the
    mark of a model that answers by the depth of the options instead of searching."""
    return accuracy_by(lambda rec: distractor_depth(rec.graph), records, right)

# -----------------------------------------------------------------------------
# search values: after k thoughts, how much probability does each frontier node get?
#
# The steps of a ProsQA chain are "Tom is a terpus.", "Every terpus is a brimpus.", ... so after k
# thoughts (k >= 1, standing for the first k steps) the next language step is "Every X is a Y."
# where X is the node reached after k hops. We force language with <eot> followed by "Every" (for a
# model trained with --no_eot, "Every" right after the last thought) and read the probability of
# X's tokens: value(X) = p(" le" | ...) p("mp" | ..., " le") p("us" | ...) for X = lempus.
# (For k = 0 the step would start with the person's name instead; not used.)
# GPT-2's pre-tokenizer splits "Every lempus" at the space, so the tokens of " lempus" continuing
# "Every" are exactly those inside the training step (concept_tokens checks it).


def concept_tokens(tok, symbol):
    """Token ids of " <symbol>" as they follow "Every" in a step."""
    every = tok.encode("Every")
    ids = tok.encode("Every " + symbol)
    if ids[:len(every)] != every:
        raise ValueError(f"'Every {symbol}' does not tokenize as 'Every' + ' {symbol}'")
    return ids[len(every):]


def value_example(tok, rec, k, node, eot=True):
    """question <bot> [latent] x k <eot> Every <concept tokens>, with labels only on the concept:
    data.collate then marks exactly the positions that predict a concept token. eot=False: no <eot>."""
    prompt = data.inference_prompt(tok, rec, "coconut", k)  # question + "\n" + <bot>
    prefix = prompt + [tok.latent] * k + ([tok.eot] if eot else []) + tok.encode("Every")
    concept = concept_tokens(tok, rec.graph["idx_to_symbol"][node])
    return data.Example(ids=prefix + concept, labels=[-100] * len(prefix) + concept,
                        n_latent=k, latent_start=len(prompt))


@torch.no_grad()
def frontier_values_batch(model, tok, records, k, batch_size=64, eot=True):
    """For each record, {frontier node: value after k thoughts}. Every (record, node) pair is one
    row; rows of all records are batched together and run through continuous_forward, which
    computes the k thoughts of each row. fp32 throughout: the values are products of small numbers."""
    if k < 1:
        raise ValueError(f"frontier values need k >= 1 thoughts (the step after 0 thoughts names "
                         f"the person, not a concept), got {k}")
    model.eval()
    device = next(model.parameters()).device
    jobs = [(i, v) for i, rec in enumerate(records) for v in frontier(rec.graph, k)]
    examples = [value_example(tok, records[i], k, v, eot) for i, v in jobs]
    data.check_lengths(examples, model.config.block_size, f"search values after {k} thoughts")
    order = sorted(range(len(jobs)), key=lambda j: len(examples[j].ids))  # less padding
    values = [{} for _ in records]
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        batch = to_device(data.collate([examples[j] for j in chunk], tok), device)
        hidden = continuous_forward(model, batch)  # (B, T, C)
        B, T, C = hidden.shape
        h = hidden.reshape(B * T, C)[batch["label_pos"]]  # (N, C): positions predicting a concept token
        logp = model.lm_head(h).float().log_softmax(-1)  # (N, V)
        token_logp = logp.gather(1, batch["label_ids"][:, None]).squeeze(1)  # (N,) log p(token)
        row = batch["label_pos"] // T  # (N,) which row each token belongs to
        row_logp = torch.zeros(B, device=device).index_add_(0, row, token_logp)  # (B,) log of the product
        for j, value in zip(chunk, row_logp.exp().tolist()):
            i, v = jobs[j]
            values[i][v] = value
    return values


def frontier_values(model, tok, record, k, batch_size=64, eot=True):
    """{frontier node index: value} for one record after k thoughts."""
    return frontier_values_batch(model, tok, [record], k, batch_size, eot)[0]

# -----------------------------------------------------------------------------
# statistics over a data set: parallelism (top-k cumulative values) and value vs height


def search_values(model, tok, records, ks=(1, 2), batch_size=64, eot=True):
    """{k: [ {node: value} per record ]}"""
    return {k: frontier_values_batch(model, tok, records, k, batch_size, eot) for k in ks}


def topk_cumulative(values_per_record, tops=(1, 2, 3)):
    """{"top1": [...], ...}: per record, the sum of its n largest frontier values (all of them when
    it has fewer than n; 0 when none), sorted ascending over records so that index / length is a
    percentile. Wide gaps between top-1 and top-3 = value spread over several nodes (parallel)."""
    out = {}
    for n in tops:
        sums = [sum(sorted(vals.values(), reverse=True)[:n]) for vals in values_per_record]
        out[f"top{n}"] = sorted(sums)
    return out


def value_vs_height(records, values_by_k):
    """Every frontier node's value with its height and correctness, and the mean value per
    (thought, correct/incorrect, height): {"points": [...], "mean": {k: {"correct": {h: mean},
    "incorrect": {h: mean}}}, "count": same shape with the numbers of nodes}."""
    points = []
    for k, per_record in values_by_k.items():
        for rec, vals in zip(records, per_record):
            for v, value in vals.items():
                points.append(dict(thought=k, height=node_height(rec.graph, v), value=value,
                                   correct=reaches_target(rec.graph, v)))
    mean, count = {}, {}
    for k in values_by_k:
        mean[k], count[k] = {}, {}
        for label, correct in (("correct", True), ("incorrect", False)):
            by_height = {}
            for p in points:
                if p["thought"] == k and p["correct"] == correct:
                    by_height.setdefault(p["height"], []).append(p["value"])
            mean[k][label] = {h: sum(vs) / len(vs) for h, vs in sorted(by_height.items())}
            count[k][label] = {h: len(vs) for h, vs in sorted(by_height.items())}
    return dict(points=points, mean=mean, count=count)

# -----------------------------------------------------------------------------
# one question's search tree, as text (sample.py can print it)


def format_search_tree(graph, values_by_k):
    """The root, its children with their values after thought 1, their children with values after
    thought 2, ... down to the deepest k in values_by_k ({k: {node: value}}). Siblings are sorted
    by value; a node below several parents appears under each. '*' marks nodes the answer can be
    reached from."""
    symbols, children = graph["idx_to_symbol"], children_lists(graph)
    depth = max(values_by_k, default=0)
    rows = [(symbols[graph["root"]] + " (root)", "", "")]

    def walk(node, d, indent):
        vals = values_by_k.get(d, {})
        kids = sorted(children[node], key=lambda c: (-vals.get(c, -1.0), c))
        for n, c in enumerate(kids):
            last = n == len(kids) - 1
            value = f"{vals[c]:.3f}" if c in vals else "-"
            marks = "*" if reaches_target(graph, c) else ""
            marks += " (answer)" if c == graph["target"] else " (distractor)" if c == graph["neg_target"] else ""
            rows.append((indent + ("`-- " if last else "|-- ") + symbols[c], value, marks))
            if d < depth:
                walk(c, d + 1, indent + ("    " if last else "|   "))

    if depth >= 1:
        walk(graph["root"], 1, "")
    width = max(len(r[0]) for r in rows)
    lines = [f"{name:<{width}}  {value:>6}  {marks}".rstrip() for name, value, marks in rows]
    header = "value of each node after the thought that reaches its depth; * = the answer is reachable"
    return "\n".join([header] + lines)

# -----------------------------------------------------------------------------
# figures: matplotlib is optional and imported only here


def pyplot():
    import matplotlib
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path):
    plt = pyplot()
    path = Path(path)
    tmp = data.temp_path_for(path)
    try:
        fig.savefig(tmp, format="png", dpi=150, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if tmp.exists():
            tmp.unlink()


def plot_interpolation(results, path):
    """Stacked bars of the path categories per k, and the accuracy as a line."""
    plt = pyplot()
    ks = sorted(results)
    colors = {"correct_path": "#2e7d32", "longer_path": "#81c784", "correct_label": "#64b5f6",
              "incorrect_label": "#bdbdbd", "wrong_target": "#ffb74d", "hallucination": "#e57373"}
    fig, ax = plt.subplots(figsize=(6, 4))
    bottom = [0.0] * len(ks)
    for c in CATEGORIES:
        heights = [results[k]["fractions"][c] for k in ks]
        ax.bar(ks, heights, bottom=bottom, color=colors[c], label=c.replace("_", " "))
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.plot(ks, [results[k]["accuracy"] for k in ks], "k-o", label="accuracy")
    ax.set(xlabel="continuous thoughts k (then language)", ylabel="fraction of questions", ylim=(0, 1.02),
           xticks=ks)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    save_figure(fig, path)


def plot_search_tree(graph, values_by_k, path):
    """Frontiers 0..K as rows (root on top); an edge joins nodes of consecutive rows; green nodes
    can reach the answer, red ones cannot; marker area grows with the value."""
    plt = pyplot()
    depth = max(values_by_k, default=0)
    symbols, children = graph["idx_to_symbol"], children_lists(graph)
    levels = [frontier(graph, d) for d in range(depth + 1)]
    xy = {}  # (depth, node) -> position
    for d, nodes in enumerate(levels):
        for n, v in enumerate(nodes):
            xy[d, v] = ((n + 1) / (len(nodes) + 1), -d)
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * max(len(l) for l in levels)), 1.8 * (depth + 1)))
    for d in range(depth):
        for v in levels[d]:
            for c in children[v]:
                (x0, y0), (x1, y1) = xy[d, v], xy[d + 1, c]
                ax.plot([x0, x1], [y0, y1], color="#9e9e9e", lw=0.8, zorder=1)
    for (d, v), (x, y) in xy.items():
        value = values_by_k.get(d, {}).get(v)
        color = "#2e7d32" if reaches_target(graph, v) else "#c62828"
        ax.scatter([x], [y], s=80 + 800 * (value or 0.0), color=color, alpha=0.8, zorder=2)
        label = symbols[v] if value is None else f"{symbols[v]}\n{value:.2f}"
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(0, -22), ha="center", va="top", fontsize=8)
    ax.set(yticks=[-d for d in range(depth + 1)], yticklabels=[f"thought {d}" if d else "root" for d in range(depth + 1)],
           xticks=[], xlim=(0, 1), ylim=(-depth - 0.8, 0.4))
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    save_figure(fig, path)


def plot_topk(cumulative_by_k, path):
    """One panel per thought: the cumulative top-1/2/3 frontier value against percentile."""
    plt = pyplot()
    ks = sorted(cumulative_by_k)
    fig, axes = plt.subplots(1, len(ks), figsize=(4.5 * len(ks), 3.6), squeeze=False)
    for ax, k in zip(axes[0], ks):
        for name, sums in cumulative_by_k[k].items():
            n = len(sums)
            ax.plot([100 * i / max(n - 1, 1) for i in range(n)], sums, label=name.replace("top", "top-"))
        ax.set(title=f"thought {k}", xlabel="percentile of questions", ylabel="cumulative value", ylim=(0, 1.02))
        ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_value_vs_height(vh, path):
    """One panel per thought: each frontier node's value against its height (jittered dots), and
    the mean per height, for correct and incorrect nodes."""
    plt = pyplot()
    ks = sorted(vh["mean"])
    fig, axes = plt.subplots(1, len(ks), figsize=(4.5 * len(ks), 3.6), squeeze=False)
    for ax, k in zip(axes[0], ks):
        for label, correct, color, dx in (("correct", True, "#2e7d32", -0.1), ("incorrect", False, "#c62828", 0.1)):
            pts = [p for p in vh["points"] if p["thought"] == k and p["correct"] == correct]
            ax.scatter([p["height"] + dx for p in pts], [p["value"] for p in pts], s=6, alpha=0.25, color=color)
            mean = vh["mean"][k][label]
            ax.plot(list(mean), list(mean.values()), "-o", color=color, label=f"{label} nodes (mean)")
        ax.set(title=f"thought {k}", xlabel="height (shortest distance to a leaf)", ylabel="value", ylim=(0, 1.02))
        ax.legend(fontsize=8)
    save_figure(fig, path)

# -----------------------------------------------------------------------------
# command line


def int_list(text):
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def get_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", default=DEFAULT_CKPT, help="a Coconut checkpoint written by train.py")
    p.add_argument("--valid_file", help="ProsQA JSON to analyse (default: <data_dir>/prosqa, --split)")
    p.add_argument("--data_dir", default="data")
    p.add_argument("--split", default="valid")
    p.add_argument("--limit", type=int, default=0, help="use only the first N questions (0 = all)")
    p.add_argument("--ks", type=int_list, default=list(range(7)), help="thought counts for the interpolation")
    p.add_argument("--value_ks", type=int_list, default=[1, 2], help="thoughts after which values are read")
    p.add_argument("--example", type=int, default=0, help="the question whose search tree is drawn")
    p.add_argument("--batch_size", type=int, default=64)
    p.add_argument("--max_new_tokens", type=int, default=128)
    p.add_argument("--out_dir", default="figures")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args(argv)
    if args.limit < 0 or args.batch_size < 1 or args.max_new_tokens < 1:
        p.error("--limit must be >= 0, --batch_size and --max_new_tokens >= 1")
    if not args.ks or min(args.ks) < 0:
        p.error(f"--ks must be thought counts >= 0, got {args.ks}")
    if not args.value_ks or min(args.value_ks) < 1:
        p.error(f"--value_ks must be thought counts >= 1, got {args.value_ks}")
    if not Path(args.ckpt).is_file():
        p.error(f"--ckpt {args.ckpt}: no such file (train one with: python train.py --dataset prosqa "
                f"--uniform_prob 0.3 --out_dir out/prosqa-coconut-mix)")
    return args


def load_records(args):
    where = args.valid_file or f"{args.data_dir}/prosqa ({args.split})"
    records = (data.load_json_records(args.valid_file) if args.valid_file
               else data.load_dataset("prosqa", args.split, args.data_dir))
    for i, rec in enumerate(records):
        if rec.graph is None:
            raise SystemExit(f"{where}: record {i} has no graph fields {data.GRAPH_FIELDS}: "
                             f"the analysis needs ProsQA records")
    records = records[:args.limit or None]
    if not 0 <= args.example < len(records):
        raise SystemExit(f"--example {args.example} is out of range: {len(records)} questions")
    return records


def str_keys(obj):
    # JSON object keys must be strings: thought counts, heights and node indices become "1", "2", ...
    if isinstance(obj, dict):
        return {str(k): str_keys(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [str_keys(v) for v in obj]
    return obj


def write_json(obj, path):
    tmp = data.temp_path_for(path)
    try:
        tmp.write_text(json.dumps(obj, indent=1))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def print_accuracy_by(interp, field, what, unit):
    questions = next(iter(interp.values()))[field]  # the same questions for every k
    keys = list(questions)
    print(f"\naccuracy by {what} (questions: " + ", ".join(f"{questions[n]['n']} with {n}" for n in keys) + ")")
    print(f"{'k':>2} " + " ".join(f"{f'{n} {unit}':>9}" for n in keys))
    for k, r in interp.items():
        print(f"{k:>2} " + " ".join(f"{r[field][n]['accuracy']:>9.3f}" for n in keys))


def main(argv=None):
    args = get_args(argv)
    tok = data.Tokenizer()
    ckpt = torch.load(args.ckpt, map_location="cpu", weights_only=True)
    saved = argparse.Namespace(**ckpt["config"])
    if saved.method not in ("coconut", "no-curriculum"):
        raise SystemExit(f"{args.ckpt}: a {saved.method!r} model has no continuous thoughts to analyse")
    eot = not getattr(saved, "no_eot", False)  # a --no_eot model goes on in language without <eot>
    if getattr(saved, "uniform_prob", 0.0) == 0.0:
        print(f"note: {args.ckpt} was trained without stage mixing (--uniform_prob 0); the paper's "
              f"analysis uses a mixed model, which can switch to language after any k")
    model = model_from_checkpoint(ckpt, tok, args.ckpt).to(args.device).eval()
    records = load_records(args)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{args.ckpt}: {len(records)} questions")

    # --- latent/language interpolation
    interp = interpolation(model, tok, records, args.ks, args.batch_size, args.max_new_tokens, eot)
    print(f"\n{'k':>2} {'accuracy':>9} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for k, r in interp.items():
        print(f"{k:>2} {r['accuracy']:>9.3f} " + " ".join(f"{r['fractions'][c]:>15.3f}" for c in CATEGORIES))
    print_accuracy_by(interp, "by_steps", "the number of steps of the gold chain", "steps")
    print_accuracy_by(interp, "by_distractor_depth", "the distractor's depth below its nearest person",
                      "deep")

    # --- search values, parallelism, value vs height
    values = search_values(model, tok, records, args.value_ks, args.batch_size, eot)
    cumulative = {k: topk_cumulative(v) for k, v in values.items()}
    vh = value_vs_height(records, values)
    print()
    for k, cum in cumulative.items():
        print(f"thought {k}: mean cumulative value " +
              ", ".join(f"{name} {sum(s) / len(s):.3f}" for name, s in cum.items()))
    for k in vh["mean"]:
        for label in ("correct", "incorrect"):
            shown = ", ".join(f"h{h} {m:.3f} (n={vh['count'][k][label][h]})" for h, m in vh["mean"][k][label].items())
            print(f"thought {k}, {label} nodes, mean value by height: {shown}")
    example = records[args.example]
    example_values = {k: values[k][args.example] for k in values}
    tree = format_search_tree(example.graph, example_values)
    print(f"\nsearch tree of question {args.example} (answer: {example.answer})\n{tree}")

    # --- the numbers, then the figures
    numbers = dict(ckpt=args.ckpt, questions=len(records), interpolation=interp, values=values,
                   topk_cumulative=cumulative, value_vs_height=vh, example=dict(index=args.example, tree=tree))
    write_json(str_keys(numbers), out_dir / "analysis.json")
    print(f"\nwrote {out_dir / 'analysis.json'}")
    try:
        pyplot()
    except ImportError:
        print("matplotlib is not installed: no figures (pip install matplotlib)")
        return
    plot_interpolation(interp, out_dir / "interpolation.png")
    plot_search_tree(example.graph, example_values, out_dir / "search_tree.png")
    plot_topk(cumulative, out_dir / "topk_values.png")
    plot_value_vs_height(vh, out_dir / "value_vs_height.png")
    print(f"wrote interpolation.png, search_tree.png, topk_values.png, value_vs_height.png to {out_dir}")


if __name__ == "__main__":
    main()
