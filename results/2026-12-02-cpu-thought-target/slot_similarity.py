"""Do thoughts 2 and 3 write the same node the same way?

    python results/2026-12-02-cpu-thought-target/slot_similarity.py CKPT

On the 500 validation questions (4-hop files): thoughts 1..3 as `generate` computes them; each
thought's mean over the questions is removed (its own shared direction); then, for each of the
16 nodes, the mean thought 2 over the questions whose node one hop on is that node, and the mean
thought 3 over those whose node two hops on is. Prints the mean cosine between thought 2's and
thought 3's means for the same node and for different nodes.
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
def main(ckpt_path):
    tok = data.Tokenizer()
    records = data.load_json_records("data/hops/valid.json")
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    thoughts, paths = thoughts_and_paths(model, tok, records, 3)  # (N, 3, C), (N, 5) nodes p0..p4
    thoughts = thoughts - thoughts.mean(0, keepdim=True)
    means = [torch.stack([thoughts[paths[:, j] == v, j].mean(0) for v in range(16)]) for j in (1, 2)]
    unit = [m / m.norm(dim=-1, keepdim=True) for m in means]
    cos = unit[0] @ unit[1].T  # (16, 16): thought 2's node means against thought 3's
    off = ~torch.eye(16, dtype=torch.bool)
    print(f"{ckpt_path}: same node {cos.diag().mean():.3f}, different nodes {cos[off].mean():.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
