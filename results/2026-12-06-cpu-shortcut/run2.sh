#!/usr/bin/env bash
# run.sh's Coconut on the depth-matched questions with two epochs per stage instead of one (10
# epochs: two at each of 1 to 4 thoughts, then two more at 4), one thread.
set -euo pipefail
cd "$(dirname "$0")/../.."
OMP_NUM_THREADS=1 python train.py --dataset prosqa --seed 0 --init out/depth-cot/epoch2.pt \
    --train_file data/prosqa-mini/matched-train.json --valid_file data/prosqa-mini/matched-valid.json \
    --epochs 10 --batch_size 8 --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs \
    --method coconut --max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 2 --out_dir out/matched-coconut-2eps
