"""
A test of one change to --prev_tokens, before putting it in coconut.py: the window of the
positions after a continuous thought holds the thought itself (the vector fed in at its slot)
instead of the embedding of the <|latent|> token, and the slot's own input gets its window too
(as every token's does). Training only (continuous_forward is replaced here, generate is not),
so the accuracy train.py prints at the end of the epoch is not meaningful; what this measures is
step_after_thought.py's teacher-forced loss of the step after the thought.

    python results/2026-11-25-cpu-p6-final/window_sees_thought.py TRAIN.PY-FLAGS ...

trains with train.py and these flags, then prints step_after_thought.py's table for the run's
last.pt on data/prosqa-mini/valid.json, read with this forward.
Run from the repository root.
"""

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))
import coconut  # noqa: E402
import data  # noqa: E402
import step_after_thought  # noqa: E402
import train  # noqa: E402
from gpt2 import EOS_ID  # noqa: E402

plain_forward = coconut.continuous_forward


def add_window(model, x, before):
    """x (B, T, C) token-level inputs (thoughts as they are), before (B, K, C) the K inputs before
    x[:, 0] -> x plus the prev map of each position's K earlier inputs, as GPT.embed does."""
    K, T = model.config.prev_tokens, x.size(1)
    seq = torch.cat([before, x], dim=1)  # (B, K + T, C)
    earlier = [seq[:, K - k:K - k + T] for k in range(1, K + 1)]
    return x + model.transformer.prev(torch.cat(earlier, dim=-1))


def forward_window_sees_thought(model, batch):
    K = model.config.prev_tokens
    if K == 0 or batch["max_latent"] == 0:
        return plain_forward(model, batch)
    ids, pos, mask = batch["input_ids"], batch["position_ids"], batch["attn_mask"]
    col, n = batch["latent_col"], batch["max_latent"]
    T = ids.size(1)
    tok = model.transformer.wte(ids)  # (B, T, C)
    has_thought = torch.arange(n, device=ids.device) < batch["n_latent"][:, None]
    hidden, kv, key_mask = coconut.left_padded_pass(model, model.embed(ids[:, :col]), pos[:, :col], mask[:, :col])
    eos = model.transformer.wte(ids.new_full((ids.size(0), K), EOS_ID))  # (B, K, C)
    recent = torch.cat([eos, tok[:, :col]], dim=1)[:, -K:]  # (B, K, C): the inputs before col
    hiddens = [hidden]
    for j in range(n):
        thought = hidden[:, -1]
        slot = torch.where(has_thought[:, j, None], thought, tok[:, col + j])
        end = col + j + 1 if j < n - 1 else T
        x_tok = torch.cat([slot[:, None], tok[:, col + j + 1:end]], dim=1)
        x = add_window(model, x_tok, recent)
        recent = torch.cat([recent, x_tok], dim=1)[:, -K:]
        key_mask = torch.cat([key_mask, mask[:, col + j:end]], dim=1)
        _, hidden, kv = model(embeds=x, pos=pos[:, col + j:end], mask=key_mask, past_kv=kv, compute_logits=False)
        hiddens.append(hidden)
    return torch.cat(hiddens, dim=1)


if __name__ == "__main__":
    argv = sys.argv[1:]
    coconut.continuous_forward = forward_window_sees_thought  # coconut_loss looks the name up per call
    step_after_thought.continuous_forward = forward_window_sees_thought
    train.main(argv)
    out_dir = argv[argv.index("--out_dir") + 1]
    tok = data.Tokenizer()
    ckpt_path = str(Path(out_dir) / "last.pt")
    model = train.model_from_checkpoint(torch.load(ckpt_path, map_location="cpu", weights_only=True), tok, ckpt_path).eval()
    records = data.load_json_records("data/prosqa-mini/valid.json")
    result, n = step_after_thought.losses_by_part(model, tok, records, "coconut1")
    print("window sees the thought, coconut1:" + ckpt_path)
    print(" ".join(f"{p}={result.get(p, float('nan')):.3f}" for p in step_after_thought.PARTS), f"({n} q)")
