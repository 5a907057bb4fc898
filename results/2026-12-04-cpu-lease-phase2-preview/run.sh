#!/usr/bin/env bash
# A preview of the next GPU lease's full-ProsQA CoT run (gpu.sh's `out/p-cot`), on the CPU: gpu.sh's
# settings (31.2M parameters, batch 32, lr 1e-3 after 200 warm-up steps, --prev_tokens 6 from the
# checkpoint), started from the lease's first phase as run on the CPU (out/cpu-p-mini/last.pt,
# 80.2% on the small ProsQA). Three epochs of the first 6,000 training questions (564 steps, about
# the lease's first full epoch of 559 steps, but the same 6,000 questions three times).
# From the repository root, after `bash reproduce.sh prepare` and the first phase:
#   bash results/2026-12-04-cpu-lease-phase2-preview/run.sh > logs/cpu-p-cot-preview.log 2>&1
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
OMP_NUM_THREADS=2 python train.py --dataset prosqa --method cot --init out/cpu-p-mini/last.pt \
  --seed 0 --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --log_interval 50 \
  --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 \
  --epochs 3 --limit_train 6000 --keep_epochs --out_dir out/cpu-p-cot-preview
