"""What does each continuous thought of a Coconut model on the fork task decode to?

    python results/2026-12-05-cpu-fork-depths/fork_thoughts.py CKPT VALID_JSON [K]

A thought is the last hidden state, fed back as the next input; the LM head can still read it
(as sample.py shows for one question). For K thoughts (default: the checkpoint's own) on every
question of VALID_JSON, this reads each thought through the LM head and asks which node of the
question it points at: the root r, the first and last node of r's gold branch (the last is the
answer), of r's dead branch, the other root s, the last node of s's branch (the distractor), and
the second and third node of each of r's branches (two and three arrows from r: what a
breadth-first search holds after two and three steps).
For each thought and role: the mean probability of that node's token (" x"), and how often it is the
top token among all tokens; then each thought's most frequent top tokens, whatever they are. Also
the answer's accuracy after the K thoughts.
"""
import sys
from collections import Counter
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-cpu-fork"))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402
from fork_diagnostics import branches  # noqa: E402

ROLES = ("root r", "gold 1st", "gold last = answer", "dead 1st", "dead last", "root s", "distractor",
         "gold 2nd", "dead 2nd", "gold 3rd", "dead 3rd")


def role_nodes(rec):
    """The node (a letter) of each role in ROLES, for one fork question."""
    gold, dead, distracting = branches(rec)
    root = rec.steps[0].split()[0]
    arrows = [a.split(" -> ") for a in rec.question.split("?")[0].split(". ")[:-1]]
    s = next(a.strip() for a, b in arrows if b.strip().rstrip(".") == distracting[0])
    # the n-th node of a branch is n arrows from r (on a branch of fewer nodes: its last node)
    return dict(zip(ROLES, (root, gold[0], gold[-1], dead[0], dead[-1], s, distracting[-1],
                            gold[:2][-1], dead[:2][-1], gold[:3][-1], dead[:3][-1])))


def node_token(tok, node, where):
    ids = tok.encode(" " + node)
    if len(ids) != 1:
        raise SystemExit(f"{where}: node {node!r} is not one token; these questions name nodes by one letter")
    return ids[0]


@torch.no_grad()
def main(ckpt_path, valid_path, k=None):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    saved = train.argparse.Namespace(**ckpt["config"])
    if saved.method not in ("coconut", "no-curriculum"):
        raise SystemExit(f"{ckpt_path}: a {saved.method} model has no continuous thoughts to read")
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    k = int(k) if k else train.thoughts_at_stage(saved, ckpt["stage"])
    prob = torch.zeros(k, len(ROLES))   # summed over questions
    top1 = torch.zeros(k, len(ROLES))
    tops = [Counter() for _ in range(k)]  # per thought: top token -> number of questions
    right = 0
    for start in range(0, len(records), 100):
        batch = records[start:start + 100]
        prompts = [data.inference_prompt(tok, r, saved.method, k) for r in batch]
        out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=8)
        probs = out["thought_logits"].float().softmax(-1)  # (B, k, V)
        for b, rec in enumerate(batch):
            where = f"{valid_path}, question {start + b}"
            ids = torch.tensor([node_token(tok, n, where) for n in role_nodes(rec).values()])
            prob += probs[b][:, ids]
            top1 += (probs[b].argmax(-1, keepdim=True) == ids).float()
            for j, t in enumerate(probs[b].argmax(-1).tolist()):
                tops[j][tok.decode([t])] += 1
            right += data.is_correct(tok.decode(out["tokens"][b]), rec.answer)
    n = len(records)
    print(f"{ckpt_path} ({saved.method}, stage {ckpt['stage']}), {k} thoughts, {n} questions of {valid_path}: "
          f"accuracy {100 * right / n:.1f}%")
    print("mean probability % (top token %) of each role's node, per thought")
    print("thought | " + " | ".join(ROLES))
    for j in range(k):
        print(f"{j + 1} | " + " | ".join(f"{100 * p / n:.1f} ({100 * t / n:.1f})"
                                         for p, t in zip(prob[j].tolist(), top1[j].tolist())))
    for j in range(k):
        print(f"thought {j + 1}, most frequent top tokens: "
              + ", ".join(f"{t!r} {100 * c / n:.1f}%" for t, c in tops[j].most_common(4)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
