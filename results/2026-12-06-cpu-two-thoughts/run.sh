#!/usr/bin/env bash
# run3.sh of ../2026-12-06-cpu-shortcut/ with four times the questions and no repeats: from the CoT
# model trained on the depth-matched questions (out/matched-cot/best.pt, 79.4%), 24,000 new
# depth-matched 2-step questions (seed 42) seen once per epoch, selected on run3's 300 (seed 37):
# one epoch (3,000 steps) with the first step a thought, then four (12,000 steps) with both steps
# thoughts. RUN=coconut or RUN=pause-as-thought (the control); one thread. Extra arguments go to
# train.py: `--resume --epochs 12` trains the run on to 12 epochs (the same questions again).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=coconut or RUN=pause-as-thought}
m=data/prosqa-mini/matched
[ -f $m/train24k-d2.json ] || python data.py generate-prosqa --n 24000 --seed 42 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/train24k-d2.json
[ -f $m/valid2-d2.json ] || python data.py generate-prosqa --n 300 --seed 37 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/valid2-d2.json
OMP_NUM_THREADS=1 python train.py --dataset prosqa --seed 0 --init out/matched-cot/best.pt \
    --train_file $m/train24k-d2.json --valid_file $m/valid2-d2.json \
    --epochs 5 --batch_size 8 --warmup_steps 200 --grad_clip 1 --log_interval 500 --lr 1e-3 --keep_epochs \
    --method $RUN --max_latent_stage 2 --stage0_epochs 0 --epochs_per_stage 1 --out_dir out/d2-24k-$RUN "$@"
