"""A deeper copy of a trained model that computes exactly what the original computes.

    python results/2026-12-06-cpu-fork-grow/grow.py CKPT N_NEW OUT

Appends N_NEW transformer blocks after the last one. A block adds its attention's and its MLP's
c_proj outputs to the residual stream; with both projections (weights and biases) at zero the new
block adds nothing, so the grown model's outputs equal the original's (checked below on random
tokens) while its new blocks can still learn: the gradient of a zero c_proj is not zero. The
other weights of the new blocks get GPT's usual random init. Writes {"model_config", "model"},
which train.py --init reads (no optimizer state: a fresh run starts from it), to OUT.tmp, then
renames it to OUT.
"""
import os
import sys
from dataclasses import asdict
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
from gpt2 import GPT, GPTConfig  # noqa: E402


def grow(ckpt, n_new, seed=0):
    old = GPT(GPTConfig(**ckpt["model_config"]))
    old.load_state_dict(ckpt["model"])
    torch.manual_seed(seed)
    new = GPT(GPTConfig(**{**ckpt["model_config"], "n_layer": old.config.n_layer + n_new}))
    state = new.state_dict()
    state.update(ckpt["model"])  # every old tensor keeps its name: blocks 0..n_layer-1, ln_f, ...
    for i in range(old.config.n_layer, new.config.n_layer):
        for name in ("attn.c_proj.weight", "attn.c_proj.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"):
            state[f"transformer.h.{i}.{name}"] = torch.zeros_like(state[f"transformer.h.{i}.{name}"])
    new.load_state_dict(state)
    return old.eval(), new.eval()


def main(ckpt_path, n_new, out):
    if not n_new.isdigit() or int(n_new) < 1:
        raise SystemExit(f"N_NEW must be a whole number of blocks, 1 or more, got {n_new!r}")
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    old, new = grow(ckpt, int(n_new))
    ids = torch.randint(0, old.config.vocab_size, (2, 40))
    with torch.no_grad():
        same = torch.equal(old(ids)[0], new(ids)[0])
    if not same:
        raise SystemExit(f"{ckpt_path}: the grown model's logits differ from the original's")
    torch.save({"model_config": asdict(new.config), "model": new.state_dict()}, out + ".tmp")
    os.replace(out + ".tmp", out)
    print(f"{ckpt_path}: {old.config.n_layer} -> {new.config.n_layer} layers, "
          f"{sum(p.numel() for p in new.parameters()):,} parameters, same logits on random tokens: {same}; "
          f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
