"""Does a one-thought Coconut model's thought carry the first step's choice?

    python results/2026-12-06-cpu-two-thoughts/swap.py QUESTIONS.json CKPT.pt [CKPT.pt ...]

A Coconut model at stage 1 on 2-step ProsQA questions sees "question <bot> [thought] <eot>" and
writes "Every X is a ..." where X must be the child of the asked person that leads to the answer.
The choice of X can be made in the thought, or after it, at <eot> and "Every", which attend to the
whole question. To tell which, the thought of question A is replaced by the thought computed from
another question B, and the model's first step in A is scored teacher-forced: the value of each
concept of A's graph is the probability of its tokens after "Every" (as analysis.py's search
values). Two scores: the step is on track when the best-valued concept is a child of A's person;
the choice is right when, among those children, one on a shortest path to the answer has the
highest value.

    own             A's own thought
    same person     the thought of a question B about a person of the same name, another graph
    other person    the thought of a question B about someone else
    no thought      the slot keeps its token's embedding (<|latent|>), as a pause token would

If the thought holds the choice, a thought from another graph leaves the choice at chance in both
swaps. If it holds only who is asked about, "same person" keeps the accuracy and "other person"
loses it. If the thought does not matter, all four agree. For comparison, the same choice is
scored for a CoT model (after "<person> is a") and a pause-as-thought model (after its <pause>
slot, <eot> and "Every"), with their own inputs. Run from the repository root.
"""
import argparse
import random
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402
from analysis import children_lists, concept_tokens, parse_chain, split_generation  # noqa: E402
from coconut import generate  # noqa: E402
from train import model_from_checkpoint  # noqa: E402

CONDITIONS = ("own", "same person", "other person", "no thought")


@torch.no_grad()
def thought_of(model, tok, rec):
    """The one thought of a record: the final hidden state at <bot> (C,)."""
    prompt = torch.tensor(data.inference_prompt(tok, rec, "coconut", 1))[None]  # (1, L)
    return model(embeds=model.window(model.transformer.wte(prompt)), compute_logits=False)[1][0, -1]


def first_step_prefix(tok, rec, method):
    """The text before the first step's concept, and the column of the slot (None without one):
    CoT writes "<person> is a X", the stage-1 models "Every X" after one slot."""
    if method == "cot":
        person = rec.graph["idx_to_symbol"][rec.graph["root"]]
        return data.inference_prompt(tok, rec, "cot", 0) + tok.encode(f"{person} is a"), None
    slot_token = tok.pause if method == "pause-as-thought" else tok.latent
    prefix = data.inference_prompt(tok, rec, "coconut", 1) + [slot_token, tok.eot] + tok.encode("Every")
    return prefix, len(prefix) - 3


def candidates(graph):
    """The nodes a first step can name after "Every" or "<person> is a": all but the persons."""
    has_parent = {child for _, child in graph["edges"]}
    return sorted(has_parent)


@torch.no_grad()
def concept_values(model, tok, rec, method, thought=None):
    """{candidate node: log-probability of its tokens as the first step's concept}, all candidates
    in one batch, with the slot holding `thought` (None: the slot's own token, <pause> or <|latent|>)."""
    prefix, slot = first_step_prefix(tok, rec, method)
    nodes = candidates(rec.graph)
    concepts = [concept_tokens(tok, rec.graph["idx_to_symbol"][v]) for v in nodes]  # as after "Every" or "a"
    T = len(prefix) + max(map(len, concepts))
    ids = torch.tensor([prefix + c + [tok.eos] * (T - len(prefix) - len(c)) for c in concepts])  # (N, T)
    x = model.transformer.wte(ids)  # (N, T, C); right padding needs no mask: attention is causal
    if thought is not None:
        x[:, slot] = thought
    hidden = model(embeds=model.window(x), compute_logits=False)[1]  # (N, T, C)
    values = {}
    for row, (v, c) in enumerate(zip(nodes, concepts)):
        at = torch.arange(len(prefix) - 1, len(prefix) - 1 + len(c))  # the positions predicting c
        logp = model.lm_head(hidden[row, at]).float().log_softmax(-1)  # (len(c), V)
        values[v] = logp[torch.arange(len(c)), torch.tensor(c)].sum().item()
    return values


def gold_children(graph):
    """The children of the person asked about that lie on a shortest path to the answer."""
    children = children_lists(graph)
    to_target = lambda v: data.bfs_distances(children, v)[graph["target"]]  # noqa: E731
    return {c for c in children[graph["root"]] if to_target(c) == to_target(graph["root"]) - 1}


def judge(graph, values):
    """(the best-valued candidate is a child of the person, the best-valued child is a gold one)
    for the stage-1 models; for CoT the first step names the child itself, so the same holds."""
    children = children_lists(graph)[graph["root"]]
    best_child = max(children, key=values.get)
    return max(values, key=values.get) in children, best_child in gold_children(graph)


@torch.no_grad()
def greedy_first_steps(model, tok, records, method, batch_size=64):
    """Generated greedily, as train.py evaluates (one slot for the stage-1 models): per question,
    whether the first written step is a fact starting where it should (CoT: at the person; after
    one slot: at a child of the person), whether it is a gold step, and whether the answer is right."""
    latent = method in data.LATENT_METHODS
    n_slots = 0 if method == "cot" else 1
    out = []
    for i in range(0, len(records), batch_size):
        batch = records[i:i + batch_size]
        prompts = [data.inference_prompt(tok, r, method, n_slots) for r in batch]
        gen = generate(model, prompts, tok.eos, n_latent=n_slots if latent else 0,
                       after_thoughts=[tok.eot] if latent else [], max_new_tokens=64)
        for rec, ids in zip(batch, gen["tokens"]):
            text = tok.decode(ids)
            lines, answer = split_generation(text)
            edge = parse_chain(rec.graph, lines[:1])[0] if lines else None
            root = rec.graph["root"]
            starts = {root} if method == "cot" else set(children_lists(rec.graph)[root])
            on_track = edge is not None and edge[0] in starts
            chosen = on_track and (edge[0] if n_slots else edge[1])  # the person's child it goes through
            gold = on_track and chosen in gold_children(rec.graph)
            out.append((on_track, gold, data.is_correct(answer, rec.answer)))
    return out


def donors(records, seed=0):
    """For each question i: (j with the same asked person, j with another one), j != i, drawn at random."""
    rng = random.Random(seed)
    person = [r.graph["idx_to_symbol"][r.graph["root"]] for r in records]
    out = []
    for i, name in enumerate(person):
        same = [j for j, other in enumerate(person) if other == name and j != i]
        diff = [j for j, other in enumerate(person) if other != name]
        if not same:
            raise SystemExit(f"question {i}: no other question of the file asks about {name}")
        out.append((rng.choice(same), rng.choice(diff)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("questions")
    p.add_argument("ckpts", nargs="+")
    args = p.parse_args()
    tok = data.Tokenizer()
    records = data.load_json_records(args.questions)
    no_graph = [i for i, r in enumerate(records) if r.graph is None]
    if no_graph:
        raise SystemExit(f"{args.questions}: question {no_graph[0]} has no graph (ProsQA records only)")
    pairs = donors(records)
    chance = sum(len(gold_children(r.graph)) / len(children_lists(r.graph)[r.graph["root"]])
                 for r in records) / len(records)
    print(f"{len(records)} questions; a child of the person at random is a gold one in {100 * chance:.1f}%")
    for path in args.ckpts:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        model = model_from_checkpoint(ckpt, tok, path).eval()
        method = ckpt["config"]["method"]
        if method not in ("cot", "pause-as-thought") + data.LATENT_METHODS:
            raise SystemExit(f"{path}: a {method} model writes no first step to score")
        # per condition, per question: (on track, choice right) as judge() says
        if method in data.LATENT_METHODS:
            thoughts = [thought_of(model, tok, r) for r in records]
            inputs = lambda i: [thoughts[j] for j in (i,) + pairs[i]] + [None]  # noqa: E731
            conditions = CONDITIONS
        else:  # CoT, or the slot holds <pause>: the model's own input only
            inputs, conditions = (lambda i: [None]), ("own",)
        scores = {c: [] for c in conditions}
        for i, rec in enumerate(records):
            for cond, thought in zip(conditions, inputs(i)):
                scores[cond].append(judge(rec.graph, concept_values(model, tok, rec, method, thought)))
        print(f"{path} ({method}), teacher-forced, % of questions: best concept a child of the person "
              "/ best child a gold one")
        for c in conditions:
            on_track, right = (100 * sum(x) / len(records) for x in zip(*scores[c]))
            print(f"    {c:>12}: {on_track:5.1f} / {right:5.1f}")
        on_track, gold, correct = (100 * sum(x) / len(records) for x in zip(*greedy_first_steps(
            model, tok, records, method)))
        where = "the person" if method == "cot" else "a child of the person"
        print(f"    generated greedily: first step a fact from {where} {on_track:.1f}%, through a gold "
              f"child {gold:.1f}%, answer right {correct:.1f}%")
        for cond in conditions[1:]:  # paired: the same questions, only the thought differs
            d = 100 * (torch.tensor(scores["own"]).float() - torch.tensor(scores[cond]).float())  # (N, 2)
            print(f"    own - {cond}: " + " / ".join(f"{m:+.1f} +- {e:.1f}" for m, e in
                                                     zip(d.mean(0), d.std(0) / len(d) ** 0.5)) + " points")


if __name__ == "__main__":
    main()
