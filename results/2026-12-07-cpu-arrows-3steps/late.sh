#!/usr/bin/env bash
# Coconut from a later CoT model: the same curriculum as run.sh's Coconut run (stages 1, 2 and 3
# for one epoch each, then the final stage), started from the CoT control's epoch4.pt (10,000 steps
# on the mix, 89.2% of the 3-step test questions) instead of its epoch0.pt (2,000 steps, 79.4%).
# Does Coconut's ceiling follow the CoT model it starts from? out/arrows3-coconut-late; THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
INIT=out/arrows3-cot/epoch4.pt
for f in $INIT $d/three-train-d123.json $d/valid-d3.json; do
    [ -f $f ] || { echo "$f is missing: run run.sh (RUN=cot, then EPOCHS=5) first" >&2; exit 1; }
done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method coconut --init $INIT \
    --seed 0 --train_file $d/three-train-d123.json --valid_file $d/valid-d3.json \
    --max_latent_stage 3 --stage0_epochs 0 --epochs_per_stage 1 --epochs ${EPOCHS:-4} \
    --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs \
    --out_dir out/arrows3-coconut-late
