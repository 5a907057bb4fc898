#!/usr/bin/env bash
# run2.sh's Coconut with stage mixing (--uniform_prob 0.3), the model analysis.py reads: it can
# switch to language after any number of thoughts. Two threads.
set -euo pipefail
cd "$(dirname "$0")/../.."
OMP_NUM_THREADS=${THREADS:-2} python train.py --dataset prosqa --seed 0 --init out/depth-cot/epoch${E:-2}.pt \
    --train_file data/prosqa-mini/train100k.json --valid_file data/prosqa-mini/valid.json --limit_train 8000 \
    --epochs 6 --batch_size 8 --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs \
    --method coconut --max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 1 --uniform_prob 0.3 \
    --out_dir out/depth-coconut-mix
