#!/usr/bin/env bash
# The control for run.sh: the same half1 CoT model trained on as CoT, with run.sh's settings, for
# 2 epochs (4,000 steps, the length of run.sh's stages 1 and 2). out/arrows-half1-cot-more
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
INIT=out/arrows-half1-s1/best.pt
for f in $INIT $d/half1-train-d12.json $d/valid-d2.json; do
    [ -f $f ] || { echo "$f is missing: see this folder's README" >&2; exit 1; }
done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init $INIT --seed 0 \
    --train_file $d/half1-train-d12.json --valid_file $d/valid-d2.json --epochs ${EPOCHS:-2} \
    --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs \
    --out_dir out/arrows-half1-cot-more
