"""ProntoQA: after k continuous thoughts, does the model go on with the right step in language?

    python results/2026-12-01-cpu-prontoqa-coconut/resume_after_thoughts.py CKPT VALID_JSON [KS] [SHOW]

Each ProntoQA step is "Alex is a X. Xs are Y." (the last one "Alex is happy."), so a thought that
stands for step j has to carry where the chain has got to. For each k in KS (default 0,1,...,6),
the model gets the question, <bot>, k thoughts and <eot>, then writes greedily (what
analysis.py's interpolation does for ProsQA). Counted per k, over the questions:
  - accuracy, and the answers given (exactly True / False after ###, or anything else);
  - next step right: the first sentence written is the first sentence of gold step k (for k = 6,
    no step is left: the model should answer at once; counted as "answered at once");
  - rest gold: everything written before ### equals gold steps k, k+1, ... word for word;
  - entity right: the first sentence names a concept of the entity's chain ("Alex is a X." with
    X in gold steps 0..5), a weaker test: the thoughts kept the right branch but maybe not the depth.
The first SHOW questions (default 0) are printed in full at every k.
"""
import collections
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


def sentences(text):
    return [s.strip() + "." for s in text.replace("\n", " ").split(".") if s.strip()]


@torch.no_grad()
def texts_after_thoughts(model, tok, records, k, batch_size=50, max_new_tokens=128):
    texts = []
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, "coconut", k) for r in batch]  # question + <bot>
        out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot],
                       max_new_tokens=max_new_tokens)
        texts += [tok.decode(t) for t in out["tokens"]]
    return texts


def main(ckpt_path, valid_path, ks="0,1,2,3,4,5,6", show=0):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    n = len(records)
    print(f"{ckpt_path} on {n} questions of {valid_path}")
    for k in map(int, ks.split(",")):
        texts = texts_after_thoughts(model, tok, records, k)
        answers, correct, next_ok, rest_ok, entity_ok = collections.Counter(), 0, 0, 0, 0
        for i, (rec, text) in enumerate(zip(records, texts)):
            chain, _, answer = text.split("<|endoftext|>")[0].partition("###")
            written = sentences(chain)
            gold_steps = [sentences(s) for s in rec.steps]
            answers[answer.strip() if answer.strip() in ("True", "False") else "other"] += 1
            correct += data.is_correct(text, rec.answer)
            left = [x for step in gold_steps[k:] for x in step]
            next_ok += (written[:1] == left[:1]) if left else not written
            rest_ok += written == left
            entity_ok += bool(written) and written[0] in {s[0] for s in gold_steps}
            if i < show:
                print(f"  k={k} question {i}: gold rest: {' '.join(left)} ### {rec.answer}")
                print(f"  k={k} question {i}: written:   {text.strip()}")
        print(f"k={k}: accuracy {100 * correct / n:.1f}% | answers {dict(answers)} | next step right "
              f"{100 * next_ok / n:.1f}% | rest gold {100 * rest_ok / n:.1f}% | first sentence on the "
              f"entity's chain {100 * entity_ok / n:.1f}%", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *sys.argv[3:4], *map(int, sys.argv[4:5]))
