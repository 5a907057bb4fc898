#!/usr/bin/env bash
# Which of ProsQA's differences from the fork toy slows the choice? run.sh's fork arm with one
# thing changed toward arrows.py's ProsQA graphs (12.5 arrows a question, 1 to 7 children of r, 2.5
# on average):
#   ARM=roots4      four roots instead of two (twice the arrows: 12 a question on average)
#   ARM=children3   three branches from each root instead of two (9 arrows; a child at random 33%)
# Otherwise as run.sh (4-layer CoT from random initialisation, 64,000 questions of depths 1 and 2,
# batch 32, lr 1e-3), 3 epochs; selected on 500 depth-2 questions of the same kind.
# out/arrows-$ARM; killed and started again, a run continues from its last.pt. THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
M=results/2026-12-05-cpu-fork/make_fork.py
d=data/arrows
ARM=${ARM:?ARM=roots4 or ARM=children3}
case "$ARM" in
    roots4) shape="--roots 4" ;;
    children3) shape="--children 3" ;;
    *) echo "ARM=roots4 or ARM=children3, not $ARM" >&2; exit 1 ;;
esac
[ -f $d/$ARM-train-d12.json ] || python $M --n 64000 --seed 85 --depth 1 2 $shape --out $d/$ARM-train-d12.json
for k in 1 2; do [ -f $d/$ARM-valid-d$k.json ] || python $M --n 500 --seed $((86 + k)) --depth $k $shape \
    --out $d/$ARM-valid-d$k.json; done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init scratch --n_layer 4 \
    --n_head 4 --n_embd 128 --prev_tokens 6 --seed 0 --train_file $d/$ARM-train-d12.json \
    --valid_file $d/$ARM-valid-d2.json --epochs ${EPOCHS:-3} --batch_size 32 --lr 1e-3 --warmup_steps 100 \
    --grad_clip 1 --log_interval 250 --keep_epochs --out_dir out/arrows-$ARM
