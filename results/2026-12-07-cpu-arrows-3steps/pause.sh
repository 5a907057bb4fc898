#!/usr/bin/env bash
# The pause-as-thought control for run.sh's Coconut run: the same start (out/arrows3-cot/epoch0.pt),
# data and curriculum, with pause tokens in the thoughts' slots. 3 epochs by default (stages 1 to
# 3, 8,000 steps in all counting the CoT epoch it starts from). out/arrows3-pause; THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
for f in out/arrows3-cot/epoch0.pt $d/three-train-d123.json $d/valid-d3.json; do
    [ -f $f ] || { echo "$f is missing: run run.sh (RUN=cot) first" >&2; exit 1; }
done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method pause-as-thought \
    --init out/arrows3-cot/epoch0.pt --seed 0 --train_file $d/three-train-d123.json \
    --valid_file $d/valid-d3.json --max_latent_stage 3 --stage0_epochs 0 --epochs_per_stage 1 \
    --epochs ${EPOCHS:-3} --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 \
    --log_interval 100 --keep_epochs --out_dir out/arrows3-pause
