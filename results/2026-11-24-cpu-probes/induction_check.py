"""
Can gpt2.py's GPT, from random initialisation, learn to copy from its context? A synthetic check
with no ProsQA in it: each sequence is 16 random tokens (of 64) written twice; the loss is on the
second copy, which a model can only predict by finding the earlier occurrence of the current
token and copying what came after it (an "induction head").

    OMP_NUM_THREADS=1 python results/2026-11-24-cpu-probes/induction_check.py

Prints the loss on the second copy every 100 steps; ln(64) = 4.16 is guessing.
Run from the repository root.
"""

import sys
import time
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
from gpt2 import GPT, GPTConfig  # noqa: E402

VOCAB, LENGTH, BATCH, STEPS = 64, 16, 32, 1000

torch.manual_seed(0)
model = GPT(GPTConfig(block_size=2 * LENGTH, vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=64))
optimizer = model.configure_optimizer(lr=1e-3, weight_decay=0.01)
start = time.time()
for step in range(STEPS + 1):
    half = torch.randint(0, VOCAB, (BATCH, LENGTH))
    seq = torch.cat([half, half], dim=1)  # (B, 2L)
    logits = model(idx=seq[:, :-1])[0]  # (B, 2L-1, V): position t predicts token t+1
    # predictions of the second copy's tokens 1..L-1 (its token 0 follows the random first copy)
    loss = F.cross_entropy(logits[:, LENGTH:].reshape(-1, VOCAB), seq[:, LENGTH + 1:].reshape(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step:4d} | loss on the second copy {loss.item():.3f} | {time.time() - start:.0f} s", flush=True)
