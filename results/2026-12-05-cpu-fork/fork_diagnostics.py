"""Which branch does a model take on the fork task? Per number of thoughts k, what it writes.

    python results/2026-12-05-cpu-fork/fork_diagnostics.py CKPT VALID_JSON [KS]

For each k in KS (one argument, comma-separated, e.g. 2,3; default: the checkpoint's own), the
model gets the prompt of its method with k thoughts (or k pause tokens) and writes greedily. The
first node it writes after the thoughts is sorted by where it lies: on the gold branch (r's branch
that ends at the answer), on r's other branch (the dead end), on the branch of s that ends at the
distractor, elsewhere, or no node.
Then the answer's accuracy, overall and for each of those cases, how often the answer names one
of the two options, and how often the first. For a CoT model (k = 0) the first node written is
the branch it chose at r.
"""
import sys
from collections import Counter
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


def branches(rec):
    """(gold, dead, distractor's): the nodes after the root on r's two branches and on the branch
    of s that ends at the distractor (the option that is not the answer)."""
    arrows = [a.split(" -> ") for a in rec.question.split("?")[0].split(". ")[:-1]]
    children = {}
    for a, b in arrows:
        children.setdefault(a.strip(), []).append(b.strip().rstrip("."))
    root = rec.steps[0].split()[0]
    other = [a for a in children if a != root and not any(a in c for c in children.values())]
    options = rec.question.split("?")[0].split(" reach ")[1].split(" or ")
    distractor = [o for o in options if o != rec.answer]
    out = {}
    for r in [root] + other:
        for child in children[r]:
            path = [child]
            while path[-1] in children:
                path.append(children[path[-1]][0])
            out.setdefault(r, []).append(path)
    gold = [p for p in out[root] if p[-1] == rec.answer]
    dead = [p for p in out[root] if p[-1] != rec.answer]
    distracting = [p for r in other for p in out[r] if p[-1] in distractor]
    assert len(other) == 1 and len(gold) == len(dead) == len(distracting) == 1, rec
    return gold[0], dead[0], distracting[0]


@torch.no_grad()
def written_texts(model, tok, records, method, k, batch_size=100):
    texts = []
    latent = method in data.LATENT_METHODS
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, method, k) for r in batch]
        out = generate(model, prompts, tok.eos, n_latent=k if latent else 0,
                       after_thoughts=[tok.eot] if latent else (), max_new_tokens=32)
        texts += [tok.decode(t) for t in out["tokens"]]
    return texts


def main(ckpt_path, valid_path, ks=None):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    saved = train.argparse.Namespace(**ckpt["config"])
    records = data.load_json_records(valid_path)
    n = len(records)
    own = train.thoughts_at_stage(saved, ckpt["stage"])
    print(f"{ckpt_path} ({saved.method}, stage {ckpt['stage']}) on {n} questions of {valid_path}")
    for k in (map(int, ks.split(",")) if ks else [own]):
        texts = written_texts(model, tok, records, saved.method, k)
        where, right, an_option, first_option = Counter(), Counter(), 0, 0
        for rec, text in zip(records, texts):
            gold, dead, distracting = branches(rec)
            chain = text.split("<|endoftext|>")[0].partition("###")[0].split()
            first = next((w.rstrip(".") for w in chain if w not in ("->",) and len(w.rstrip(".")) == 1
                          and w.rstrip(".") not in (rec.steps[0].split()[0],)), None)
            case = ("no node" if first is None else "gold branch" if first in gold
                    else "dead branch" if first in dead else "distractor's branch" if first in distracting
                    else "elsewhere")
            where[case] += 1
            right[case] += data.is_correct(text, rec.answer)
            options = rec.question.split(" reach ")[-1].rstrip("?").split(" or ")
            an_option += any(data.is_correct(text, o) for o in options)
            first_option += data.is_correct(text, options[0])
        acc = 100 * sum(right.values()) / n
        cases = " | ".join(f"{c} {100 * where[c] / n:.1f}% (answer right {100 * right[c] / max(where[c], 1):.1f}%)"
                           for c in ("gold branch", "dead branch", "distractor's branch", "elsewhere", "no node"))
        named = f"an option named {100 * an_option / n:.1f}%, the first {100 * first_option / n:.1f}%"
        print(f"k={k}: accuracy {acc:.1f}% ({named}) | first node written: {cases} | e.g. {texts[0].strip()!r}",
              flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):  # KS is one argument: "2,3,4", not "2 3 4"
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
