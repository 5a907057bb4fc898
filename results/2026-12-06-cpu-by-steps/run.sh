#!/usr/bin/env bash
# The small-ProsQA CoT model that reads the graph (probe A's recipe with --prev_tokens 6, as in
# results/2026-11-25-cpu-prev-tokens/), retrained to see how its accuracy and its first-step choice
# depend on the depth of the question. Keeps every epoch's checkpoint.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f data/prosqa-mini/train100k.json ] || python data.py generate-prosqa --n 100000 --seed 3 --n_nodes 12 \
    --min_steps 2 --max_steps 4 --out data/prosqa-mini/train100k.json
[ -f data/prosqa-mini/valid.json ] || python data.py generate-prosqa --n 500 --seed 2 --n_nodes 12 \
    --min_steps 2 --max_steps 4 --out data/prosqa-mini/valid.json
OMP_NUM_THREADS=${THREADS:-2} python train.py --dataset prosqa --method cot --seed 0 --init scratch --n_head 4 \
    --n_embd 128 --train_file data/prosqa-mini/train100k.json --valid_file data/prosqa-mini/valid.json \
    --limit_train 25000 --epochs ${EPOCHS:-3} --batch_size 8 --warmup_steps 200 --grad_clip 1 --log_interval 200 \
    --n_layer 4 --lr 1e-3 --prev_tokens 6 --keep_epochs --out_dir out/depth-cot
