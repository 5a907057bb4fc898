"""Which node does each thought name under the LM head, and is it the node the target asked for?

    python results/2026-12-02-cpu-thought-target/thought_readout.py CKPT VALID_JSON K

Runs `generate` with K thoughts on every validation question and reports, for each thought j
(1 = the hidden state at <bot>), the share of questions whose thought, read by the LM head,
names the node j - 1 hops from the start (the start node itself for j = 1; for j >= 2 that is
supervise.py's target), and the share of answers right.
"""
import re
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


@torch.no_grad()
def main(ckpt_path, valid_path, k):
    k = int(k)
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    hits, right = torch.zeros(k), 0
    for start in range(0, len(records), 100):
        batch = records[start:start + 100]
        prompts = [data.inference_prompt(tok, r, "coconut", k) for r in batch]
        out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=40)
        named = out["thought_logits"].argmax(-1)  # (B, k)
        for r, row, tokens in zip(batch, named.tolist(), out["tokens"]):
            node = re.search(r"Start at (\w)", r.question).group(1)
            arrows = dict(re.findall(r"(\w) -> (\w)", r.question))
            for j in range(k):
                hits[j] += row[j] == tok.encode(" " + node)[0]
                node = arrows[node]
            right += tok.decode(tokens).strip().endswith(f"### {r.answer}<|endoftext|>")
    n = len(records)
    print(f"{ckpt_path}, {k} thoughts: " + ", ".join(
        f"thought {j + 1} names the node {j} hops on {100 * hits[j] / n:.1f}%" for j in range(k))
        + f" | answer right {100 * right / n:.1f}%")


if __name__ == "__main__":
    main(*sys.argv[1:4])
