#!/usr/bin/env bash
# From the CoT model of run.sh after its epoch E (default 2): Coconut with the paper's curriculum
# (one epoch of 8,000 questions per stage, up to 4 thoughts, then two epochs of the final stage)
# beside a CoT control trained the same 6 epochs, one thread each. RUN=coconut or RUN=cot; SEED=1
# another batch order (out_dir suffix -s1).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=coconut or RUN=cot}
COMMON="--dataset prosqa --seed ${SEED:-0} --init out/depth-cot/epoch${E:-2}.pt --train_file data/prosqa-mini/train100k.json
    --valid_file data/prosqa-mini/valid.json --limit_train 8000 --epochs 6 --batch_size 8
    --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs"
if [ "$RUN" = coconut ]; then
    OMP_NUM_THREADS=1 python train.py $COMMON --method coconut --max_latent_stage 4 --stage0_epochs 0 \
        --epochs_per_stage 1 --out_dir out/depth-coconut${SEED:+-s$SEED}
else
    OMP_NUM_THREADS=1 python train.py $COMMON --method cot --out_dir out/depth-cot-control${SEED:+-s$SEED}
fi
