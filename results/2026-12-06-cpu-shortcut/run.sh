#!/usr/bin/env bash
# From the small-ProsQA CoT model that reads the graph (out/depth-cot/epoch2.pt, made by
# ../2026-12-06-cpu-by-steps/run.sh), 6 epochs of the 8,000 depth-matched questions of prepare.sh,
# selected on the 300 matched ones, as run2.sh/run3.sh of that folder did on the unmatched data.
# RUN=coconut | pause-as-thought | no-cot | cot; one thread.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=coconut, pause-as-thought, no-cot or cot}
COMMON="--dataset prosqa --seed ${SEED:-0} --init out/depth-cot/epoch2.pt --train_file data/prosqa-mini/matched-train.json
    --valid_file data/prosqa-mini/matched-valid.json --epochs 6 --batch_size 8
    --warmup_steps 200 --grad_clip 1 --log_interval 200 --lr 1e-3 --keep_epochs"
case "$RUN" in
    coconut|pause-as-thought) FLAGS="--max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 1" ;;
    *) FLAGS="" ;;
esac
OMP_NUM_THREADS=1 python train.py $COMMON --method $RUN $FLAGS --out_dir out/matched-$RUN${SEED:+-s$SEED}
