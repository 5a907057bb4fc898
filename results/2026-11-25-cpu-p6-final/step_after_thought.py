"""
Where a --prev_tokens model loses when the first reasoning step becomes a thought (the numbers
quoted in README.md here).

    python results/2026-11-25-cpu-p6-final/step_after_thought.py data/prosqa-mini/valid.json \
        cot:out/probe-a-prev6/epoch2.pt coconut1:out/probe-a-prev6/epoch2.pt coconut1:out/p6-coco-x/epoch0.pt

Each argument after the file is FORMAT:CHECKPOINT: cot (the written chain) or coconutK (the first
K steps replaced by K continuous thoughts, Coconut's stage K). Teacher-forced on the first 300
questions of the file with at least K + 1 steps, the loss of each part of the first language step
after the thoughts ("Every X is a Y.", step K + 1; under cot the same step, after the written
steps before it):

    Every | X, first token | X, other tokens | " is a" | Y, first token | Y, other tokens | ".\n"

and of the answer line. The guess tested: with a window of the 6 tokens before each position, the
position of "Every" sees X's tokens (they end step K) in its window under cot, so naming X again
is a copy; after a thought the window holds <bot> <|latent|> <eot> instead, and X has to come
from the thought, through attention.
Run from the repository root.
"""

import collections
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402
import train  # noqa: E402
from coconut import continuous_forward  # noqa: E402

PARTS = ("Every", "X first", "X rest", "is a", "Y first", "Y rest", ".\\n", "answer", "step 1 choice")


def part_of_each_token(tok, step_text):
    """The part (an index into PARTS) of each token of one "Every X is a Y." step."""
    ids = tok.encode(step_text + "\n")
    words = [tok.decode([t]) for t in ids]
    if words[0] != "Every" or " is" not in words:
        raise ValueError(f"not an 'Every X is a Y.' step: {step_text!r}")
    i_is = words.index(" is")
    parts = [0] + [1] + [2] * (i_is - 2) + [3, 3] + [4] + [5] * (len(ids) - i_is - 5) + [6, 6]
    assert len(parts) == len(ids) and words[i_is + 1] == " a" and words[-2:] == [".", "\n"], words
    return parts


@torch.no_grad()
def losses_by_part(model, tok, records, fmt):
    """Mean loss per token of each part; cot measures step 2 (the step coconut1 writes first)."""
    k = 0 if fmt == "cot" else int(fmt[len("coconut"):])
    s = k if k else 1  # the step measured
    records = [r for r in records if len(r.steps) > s and r.steps[s].startswith("Every")][:300]
    total, count = collections.Counter(), collections.Counter()
    for i in range(0, len(records), 50):
        rows = records[i:i + 50]
        examples = [data.build_example(tok, r, "cot" if k == 0 else "coconut", k) for r in rows]
        batch = data.collate(examples, tok)
        hidden = continuous_forward(model, batch)  # (B, T, C)
        for b, (r, ex) in enumerate(zip(rows, examples)):
            offset = batch["latent_col"] - ex.latent_start if k else 0  # left padding of row b
            q = len(tok.encode(r.question + "\n"))
            if k:  # question <bot> <latent> x k <eot> step k+1 ...
                start = q + 1 + k + 1
            else:  # question step 1 step 2 ...
                start = q + len(tok.encode(r.steps[0] + "\n"))
            parts = part_of_each_token(tok, r.steps[s])
            n_answer = len(tok.encode("### " + r.answer)) + 1  # with <|endoftext|>
            answer = [(len(ex.ids) - n_answer - start + a, 7) for a in range(n_answer)]
            measured = list(enumerate(parts)) + answer
            if not k:  # under cot, also the first token of the concept step 1 names ("Davis is a X.")
                n_person = len(tok.encode(r.steps[0].rsplit(" is a ", 1)[0] + " is a"))
                measured.append((n_person - len(tok.encode(r.steps[0] + "\n")), 8))
            for j, part in measured:
                t = offset + start + j  # column of the token; column t - 1 predicts it
                assert batch["targets"][b, t - 1] == batch["input_ids"][b, t] != -100
                logp = F.log_softmax(model.lm_head(hidden[b, t - 1]).float(), dim=-1)  # (V,)
                total[PARTS[part]] += -logp[batch["input_ids"][b, t]].item()
                count[PARTS[part]] += 1
    return {p: total[p] / count[p] for p in PARTS if count[p]}, len(records)


def main(path, *specs):
    tok = data.Tokenizer()
    records = data.load_json_records(path)
    print("loss per token (nats) of each part of the step after the thoughts, teacher-forced")
    print(f"{'format:checkpoint':55s} " + " ".join(f"{p:>8s}" for p in PARTS))
    for spec in specs:
        fmt, ckpt_path = spec.split(":", 1)
        ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
        model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
        result, n = losses_by_part(model, tok, records, fmt)
        print(f"{spec:55s} " + " ".join(f"{result.get(p, float('nan')):8.3f}" for p in PARTS) + f"   ({n} q)")


if __name__ == "__main__":
    main(*sys.argv[1:])
