#!/usr/bin/env bash
# The first phase of the next GPU lease's gpu.sh (a CoT model on the small ProsQA, the start of both
# full-ProsQA runs), with gpu.sh's exact settings, on the CPU: does its recipe (31.2M parameters,
# batch 32, lr 1e-3, 4 epochs of 25,000 questions, 3,128 steps) learn to read the graphs?
# From the repository root (the diagnostics on the full ProsQA need `bash reproduce.sh prepare`):
#   bash results/2026-12-04-cpu-lease-phase1/run.sh > logs/cpu-p-mini.log 2>&1
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
small="--n_nodes 12 --min_steps 2 --max_steps 4"
mini=data/prosqa-mini
mkdir -p $mini
python data.py generate-prosqa --n 25000 --seed 3 $small --out $mini/train25k.json
python data.py generate-prosqa --n 500 --seed 2 $small --out $mini/valid.json
OMP_NUM_THREADS=2 python train.py --dataset prosqa --method cot --init scratch --prev_tokens 6 \
  --n_layer 6 --n_head 6 --n_embd 384 --seed 0 --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 \
  --log_interval 100 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 \
  --epochs 4 --train_file $mini/train25k.json --valid_file $mini/valid.json \
  --keep_epochs --out_dir out/cpu-p-mini
