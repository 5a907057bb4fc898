"""How large is a fed-back thought next to the token embeddings it sits among?

    python results/2026-12-02-cpu-thought-scale/thought_norms.py VALID_JSON K CKPT...

For each checkpoint: the mean norm of thoughts 1..K on the first 200 validation questions (the
final hidden states before each slot, as `generate` computes them), the same times the model's
thought_scale (what is fed in), and the mean norm of the embeddings of the tokens the questions
use and of the first 80 position embeddings.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-01-cpu-hops"))
import data  # noqa: E402
import train  # noqa: E402
from probe_thoughts import thoughts_and_paths  # noqa: E402


@torch.no_grad()
def main(valid_path, k, *ckpts):
    tok = data.Tokenizer()
    records = data.load_json_records(valid_path)[:200]
    ids = sorted({i for r in records for i in tok.encode(r.question)})
    for path in ckpts:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        model = train.model_from_checkpoint(ckpt, tok, path).eval()
        thoughts, _ = thoughts_and_paths(model, tok, records, int(k))  # (N, k, C), before the scale
        scale = model.config.thought_scale
        norms = thoughts.norm(dim=-1).mean(0)
        print(f"{path}: thought norms {', '.join(f'{x:.2f}' for x in norms)}"
              f" | fed in (x {scale}) {', '.join(f'{scale * x:.2f}' for x in norms)}"
              f" | question-token embeddings {model.transformer.wte.weight[ids].norm(dim=-1).mean():.2f}"
              f" | position embeddings {model.transformer.wpe.weight[:80].norm(dim=-1).mean():.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
