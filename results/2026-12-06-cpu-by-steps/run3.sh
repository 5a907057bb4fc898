#!/usr/bin/env bash
# The controls of run2.sh's Coconut, from the same CoT model and with the same 6 epochs of 8,000
# questions, one thread: RUN=no-cot (the answer alone) or RUN=pause-as-thought (Coconut's
# curriculum with <pause> tokens in the thought slots: no hidden state fed back). SEED=1: another
# batch order (out_dir suffix -s1).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=no-cot or RUN=pause-as-thought}
COMMON="--dataset prosqa --seed ${SEED:-0} --init out/depth-cot/epoch${E:-2}.pt --train_file data/prosqa-mini/train100k.json
    --valid_file data/prosqa-mini/valid.json --limit_train 8000 --epochs 6 --batch_size 8
    --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs"
if [ "$RUN" = pause-as-thought ]; then
    OMP_NUM_THREADS=1 python train.py $COMMON --method pause-as-thought --max_latent_stage 4 --stage0_epochs 0 \
        --epochs_per_stage 1 --out_dir out/depth-pause-as-thought${SEED:+-s$SEED}
else
    OMP_NUM_THREADS=1 python train.py $COMMON --method no-cot --out_dir out/depth-no-cot${SEED:+-s$SEED}
fi
