#!/usr/bin/env bash
# One depth at a time, as on the fork toy: from the CoT model trained on the depth-matched questions
# (out/matched-cot/best.pt, 79.4%), 6 epochs of 6,000 depth-matched 2-step questions (seed 36),
# selected on 300 others (seed 37): two epochs with one thought, then four with both steps as
# thoughts. RUN=coconut or RUN=pause-as-thought (the control); one thread.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=coconut or RUN=pause-as-thought}
m=data/prosqa-mini/matched
[ -f $m/train2-d2.json ] || python data.py generate-prosqa --n 6000 --seed 36 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/train2-d2.json
[ -f $m/valid2-d2.json ] || python data.py generate-prosqa --n 300 --seed 37 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/valid2-d2.json
OMP_NUM_THREADS=1 python train.py --dataset prosqa --seed 0 --init out/matched-cot/best.pt \
    --train_file $m/train2-d2.json --valid_file $m/valid2-d2.json \
    --epochs 6 --batch_size 8 --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs \
    --method $RUN --max_latent_stage 2 --stage0_epochs 0 --epochs_per_stage 2 --out_dir out/matched-d2-$RUN
