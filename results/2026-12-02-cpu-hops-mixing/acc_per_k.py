"""Validation accuracy of Coconut checkpoints with k = 0..K continuous thoughts, the rest in language.

    python results/2026-12-02-cpu-hops-mixing/acc_per_k.py VALID_JSON K CKPT [CKPT ...]

With k thoughts the model is given <bot>, k thoughts and <eot> and writes the remaining steps and
the answer (as train.py --eval_only --n_latent k does), so a model that kept what the earlier
curriculum stages taught it answers at every k up to its own stage.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402


def main(valid_path, max_k, *ckpt_paths):
    tok = data.Tokenizer()
    records = data.load_json_records(valid_path)
    ks = range(int(max_k) + 1)
    print("checkpoint | stage | " + " | ".join(f"k={k}" for k in ks))
    for path in ckpt_paths:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        model = train.model_from_checkpoint(ckpt, tok, path)
        accs = []
        for k in ks:
            correct, total, _, _ = train.evaluate(model, tok, records, "coconut", k, 100, 64)
            accs.append(100 * correct / total)
        print(f"{path} | {ckpt['stage']} | " + " | ".join(f"{a:.1f}" for a in accs), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
