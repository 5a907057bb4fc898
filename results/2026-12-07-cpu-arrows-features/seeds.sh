#!/usr/bin/env bash
# Another seed of one arm (run.sh's, or the arrows folder's ProsQA arm), the same recipe:
#   SEED=1 ARM=prosqa bash results/2026-12-07-cpu-arrows-features/seeds.sh   # out/arrows-prosqa-s1
# ARM=prosqa reads the arrows folder's data/arrows/train-d12.json; ARM=half1 or nodetour the files
# run.sh writes (run them first). --seed sets the initial weights and the order of the questions.
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
ARM=${ARM:?ARM=prosqa, half1 or nodetour}
SEED=${SEED:?SEED=1, 2, ...}
case "$ARM" in
    prosqa) train=$d/train-d12.json ;;
    half1|nodetour) train=$d/$ARM-train-d12.json ;;
    *) echo "ARM=prosqa, half1 or nodetour, not $ARM" >&2; exit 1 ;;
esac
for f in $train $d/valid-d2.json; do
    [ -f $f ] || { echo "$f is missing: run the arrows folder's run.sh (ARM=prosqa) and run.sh here" >&2; exit 1; }
done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init scratch --n_layer 4 \
    --n_head 4 --n_embd 128 --prev_tokens 6 --seed $SEED --train_file $train \
    --valid_file $d/valid-d2.json --epochs ${EPOCHS:-4} --batch_size 32 --lr 1e-3 --warmup_steps 100 \
    --grad_clip 1 --log_interval 250 --keep_epochs --out_dir out/arrows-$ARM-s$SEED
