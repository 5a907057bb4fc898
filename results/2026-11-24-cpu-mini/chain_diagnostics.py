"""
What a CoT checkpoint's chains are made of, on a ProsQA file (the numbers quoted in README.md here).

    python results/2026-11-24-cpu-mini/chain_diagnostics.py out/mini-cot/last.pt data/prosqa-mini/valid.json \
        data/prosqa-mini/train.json

1. Teacher-forced: loss and token accuracy of the chain and answer (the training labels) on the
   first 256 questions of each file: does it fit the training questions better than new ones?
2. Free-running: every chain the model writes (greedy) on the first file, in analysis.py's path
   categories (correct path, longer path, hallucination, wrong target).
3. Edge lookup, teacher-forced on the first 300 questions of the first file: given the question
   and the gold chain up to "X is a" of step i, is the most likely next token the first token of
   a concept the question says X is (a child of X in the graph)? Beside it, the same for a
   concept of the question drawn at random: what a model that has not learned to read the edges
   but only which concepts the question names would get.
4. The first step, teacher-forced on the same 300 questions: what the concept the model names
   after "Davis is a" is to the question's graph (a concept the question gives Davis, one it
   gives another person, one Davis reaches in two hops, one of the answer options, another
   concept of the question), and beside it the share of the question's "<person> is a <concept>"
   facts that are about Davis: what naming the concept of any person's fact at random would get.
Run from the repository root.
"""

import collections
import re
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import analysis  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402
from coconut import continuous_forward, generate  # noqa: E402


@torch.no_grad()
def teacher_forced(model, tok, records, method):
    loss = right = n = 0
    examples = [data.build_example(tok, r, method, 0) for r in records]
    for i in range(0, len(examples), 64):
        batch = data.collate(examples[i:i + 64], tok)
        hidden = continuous_forward(model, batch)
        logits = model.lm_head(hidden.reshape(-1, hidden.size(-1))[batch["label_pos"]])
        loss += F.cross_entropy(logits, batch["label_ids"], reduction="sum").item()
        right += (logits.argmax(-1) == batch["label_ids"]).sum().item()
        n += len(batch["label_ids"])
    return loss / n, right / n


@torch.no_grad()
def chain_categories(model, tok, records, method):
    counts = collections.Counter()
    for i in range(0, len(records), 100):
        rows = records[i:i + 100]
        out = generate(model, [data.inference_prompt(tok, r, method, 0) for r in rows], tok.eos, max_new_tokens=64)
        for r, tokens in zip(rows, out["tokens"]):
            counts[analysis.classify_path(r.graph, tok.decode(tokens).replace("<|endoftext|>", ""))] += 1
    return {k: round(v / len(records), 3) for k, v in counts.most_common()}


def first_token(tok, word):
    """The first BPE token of a concept or name as it appears mid-sentence (with its leading space)."""
    return tok.encode(" " + word)[0]


@torch.no_grad()
def edge_lookup(model, tok, records):
    """Per step (0, 1, 2 and later): [steps, argmax is a child, argmax is the gold one, chance of a child]."""
    counts = collections.defaultdict(lambda: [0, 0, 0, 0.0])
    for r in records:
        names = r.graph["idx_to_symbol"]
        children = collections.defaultdict(set)
        for a, b in r.graph["edges"]:
            children[names[a]].add(first_token(tok, names[b]))
        named = {first_token(tok, w) for w in names}  # first tokens of every concept (and person) of the question
        text = r.question + "\n"
        for i, step in enumerate(r.steps):
            subject, obj = re.fullmatch(r"(?:Every )?(\w+) is a (\w+)\.", step).groups()
            ids = tok.encode(text + step[:step.rindex(" is a") + len(" is a")])
            guess = model(idx=torch.tensor([ids]))[0][0, -1].argmax().item()
            c = counts[min(i, 2)]
            c[0] += 1
            c[1] += guess in children[subject]
            c[2] += guess == first_token(tok, obj)
            c[3] += len(children[subject] & named) / len(named)
            text += step + "\n"
    return {k: [c[0]] + [round(x / c[0], 3) for x in c[1:]] for k, c in sorted(counts.items())}


@torch.no_grad()
def first_step_confusions(model, tok, records):
    """({what the first step's concept is to the graph: share}, share of person facts about the person asked)."""
    counts, own_facts = collections.Counter(), 0.0
    for r in records:
        names = r.graph["idx_to_symbol"]
        children = collections.defaultdict(set)
        for a, b in r.graph["edges"]:
            children[names[a]].add(names[b])
        person = re.fullmatch(r"(\w+) is a \w+\.", r.steps[0]).group(1)
        person_facts = re.findall(r"(?<!Every )\b([A-Z]\w*) is a (\w+)\.", r.question)
        own_facts += sum(p == person for p, _ in person_facts) / len(person_facts)
        options = re.search(r"Is \w+ a (\w+) or (\w+)\?", r.question).groups()
        others = {c for p, c in person_facts if p != person}
        ids = tok.encode(r.question + "\n" + person + " is a")
        guess = model(idx=torch.tensor([ids]))[0][0, -1].argmax().item()
        named = {w for w in names if first_token(tok, w) == guess}  # the concepts that start with that token
        if named & children[person]:
            counts["a concept the question gives the person"] += 1
        elif named & others:
            counts["a concept the question gives another person"] += 1
        elif named & set().union(*(children[c] for c in children[person])):
            counts["two hops from the person"] += 1
        elif named & set(options):
            counts["an answer option"] += 1
        else:
            counts["another concept of the question" if named else "not in the question"] += 1
    return {k: round(v / len(records), 3) for k, v in counts.most_common()}, round(own_facts / len(records), 3)


def main(ckpt_path, *files):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    method = ckpt["config"]["method"]
    for f in files:
        loss, acc = teacher_forced(model, tok, data.load_json_records(f)[:256], method)
        print(f"{f}: teacher-forced loss {loss:.3f} per label token, token accuracy {acc:.3f}")
    print(f"{files[0]}: chains written", chain_categories(model, tok, data.load_json_records(files[0]), method))
    for step, (n, child, gold, chance) in edge_lookup(model, tok, data.load_json_records(files[0])[:300]).items():
        print(f"{files[0]}: step {step if step < 2 else '2+'} ({n}): the next concept is a child of the "
              f"subject {child:.3f} (a concept of the question at random: {chance:.3f}), the gold one {gold:.3f}")
    confusions, own_facts = first_step_confusions(model, tok, data.load_json_records(files[0])[:300])
    print(f"{files[0]}: first step, the concept named is {confusions}; "
          f"share of the person facts that are about the person asked: {own_facts}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python results/2026-11-24-cpu-mini/chain_diagnostics.py CHECKPOINT.pt PROSQA.json [MORE.json ...]")
    main(*sys.argv[1:])
