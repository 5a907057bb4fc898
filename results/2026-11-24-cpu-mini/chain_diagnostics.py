"""
What a CoT checkpoint's chains are made of, on a ProsQA file (the numbers quoted in README.md here).

    python results/2026-11-24-cpu-mini/chain_diagnostics.py out/mini-cot/last.pt data/prosqa-mini/valid.json \
        data/prosqa-mini/train.json

1. Teacher-forced: loss and token accuracy of the chain and answer (the training labels) on the
   first 256 questions of each file: does it fit the training questions better than new ones?
2. Free-running: every chain the model writes (greedy) on the first file, in analysis.py's path
   categories (correct path, longer path, hallucination, wrong target).
Run from the repository root.
"""

import collections
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


def main(ckpt_path, *files):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    method = ckpt["config"]["method"]
    for f in files:
        loss, acc = teacher_forced(model, tok, data.load_json_records(f)[:256], method)
        print(f"{f}: teacher-forced loss {loss:.3f} per label token, token accuracy {acc:.3f}")
    print(f"{files[0]}: chains written", chain_categories(model, tok, data.load_json_records(files[0]), method))


if __name__ == "__main__":
    main(*sys.argv[1:])
