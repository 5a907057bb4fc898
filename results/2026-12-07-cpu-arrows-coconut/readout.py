"""What each continuous thought decodes to, on questions written as arrows (ProsQA's graphs).

    python results/2026-12-07-cpu-arrows-coconut/readout.py QUESTIONS.json K CKPT.pt

A thought is the last hidden state fed back as the next input; the LM head can still read it (as
sample.py shows for one question). With K thoughts on every question, each thought is read through
the LM head, and its probability is summed over the nodes of each role: the one asked about (r),
r's gold children (on a shortest path to the answer), r's other children, the nodes two arrows
from r other than the answer, the answer, the other option, and every other node of the question.
Printed per thought: the mean of each sum (%), and how often the top token is one of the role's
nodes (%), beside the answer's accuracy and the mean number of nodes in each role; then each
thought's most frequent top tokens. Run from the repository root. ../2026-12-07-cpu-arrows-3steps/
depths.py calls main with roles of its own.
"""
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import torch

here = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("arrows_choice", here.parents[1] / "2026-12-06-cpu-arrows" / "choice.py")
arrows_choice = importlib.util.module_from_spec(spec)
spec.loader.exec_module(arrows_choice)  # puts the repository root and the fork folder on sys.path
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402
sys.path.insert(0, str(here.parents[1] / "2026-12-05-cpu-fork-depths"))
from fork_thoughts import node_token  # noqa: E402

ROLES = ("r", "gold children", "other children", "two out, not the answer", "answer", "other option",
         "other nodes")


def role_sets(children, root, golds, answer, other):
    """The nodes of each role in ROLES; a node in two roles counts in the first."""
    kids = set(children.get(root, []))
    two_out = {g for c in kids for g in children.get(c, [])}
    nodes = set(children) | {b for bs in children.values() for b in bs}
    sets, seen = [], set()
    for s in ({root}, set(golds), kids - set(golds), two_out - {answer}, {answer}, {other}, nodes):
        sets.append(s - seen)
        seen |= s
    return sets


@torch.no_grad()
def main(questions, k, ckpt_path, roles=ROLES, sets_of=role_sets):
    """sets_of(children, root, gold children, answer, other option) gives the node sets of roles."""
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    method = ckpt["config"]["method"]
    if method not in ("coconut", "no-curriculum"):
        raise SystemExit(f"{ckpt_path}: a {method} model has no continuous thoughts to read")
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records, graphs, golds, _ = arrows_choice.questions_with_choice(questions)
    mass, top1, right = torch.zeros(k, len(roles)), torch.zeros(k, len(roles)), 0
    sizes, tops = torch.zeros(len(roles)), [Counter() for _ in range(k)]
    for start in range(0, len(records), 100):
        batch = records[start:start + 100]
        prompts = [data.inference_prompt(tok, r, method, k) for r in batch]
        out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=8)
        probs = out["thought_logits"].float().softmax(-1)  # (B, k, V)
        for b, rec in enumerate(batch):
            i = start + b
            children, root, options = graphs[i]
            other = next(o for o in options if o != rec.answer)
            for j, nodes in enumerate(sets_of(children, root, golds[i], rec.answer, other)):
                ids = torch.tensor([node_token(tok, n, f"{questions}: record {i}") for n in sorted(nodes)],
                                   dtype=torch.long)
                sizes[j] += len(nodes)
                mass[:, j] += probs[b][:, ids].sum(-1)
                top1[:, j] += torch.isin(probs[b].argmax(-1), ids).float()
            for j, t in enumerate(probs[b].argmax(-1).tolist()):
                tops[j][tok.decode([t])] += 1
            right += data.is_correct(tok.decode(out["tokens"][b]), rec.answer)
    n = len(records)
    print(f"{ckpt_path} ({method}, stage {ckpt['stage']}), {k} thoughts, {n} questions of {questions}: "
          f"accuracy {100 * right / n:.1f}%")
    print("thought | " + " | ".join(roles) + "   (mean summed probability % (top token %))")
    for j in range(k):
        print(f"{j + 1} | " + " | ".join(f"{100 * m / n:.1f} ({100 * t / n:.1f})"
                                         for m, t in zip(mass[j].tolist(), top1[j].tolist())))
    print("nodes | " + " | ".join(f"{x / n:.2f}" for x in sizes.tolist()))
    for j in range(k):
        print(f"thought {j + 1}, most frequent top tokens: "
              + ", ".join(f"{t!r} {100 * c / n:.1f}%" for t, c in tops[j].most_common(5)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
