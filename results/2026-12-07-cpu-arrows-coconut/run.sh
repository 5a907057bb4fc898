#!/usr/bin/env bash
# The fork toy's step to thoughts, on ProsQA's graphs as arrows: Coconut, and pause-as-thought as
# the control, from the `half1` CoT model of seed 1 (../2026-12-07-cpu-arrows-both/: it takes the
# 1-step choice in 96.6% of questions and answers 76.2% of the 2-step ones, but its first arrow at
# 2 steps goes to a gold child in 53.9%, near chance). Its own 64,000 training questions (half of
# 1 step, half of 2), the paper's curriculum from stage 1: one epoch (2,000 steps) with the first
# step a thought, then both steps thoughts; selected on the same 500 2-step questions.
#   RUN=coconut bash results/2026-12-07-cpu-arrows-coconut/run.sh   # out/arrows-half1-coconut
#   RUN=pause bash results/2026-12-07-cpu-arrows-coconut/run.sh     # out/arrows-half1-pause
#   SEED=1 RUN=coconut bash ...                                       # out/arrows-half1-coconut-s1
# One thread per run, the two side by side; killed and started again, a run continues from last.pt.
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
INIT=out/arrows-half1-s1/best.pt
case "${RUN:?RUN=coconut or RUN=pause}" in
    coconut) M=coconut ;;
    pause) M=pause-as-thought ;;
    *) echo "RUN=coconut or RUN=pause, not $RUN" >&2; exit 1 ;;
esac
for f in $INIT $d/half1-train-d12.json $d/valid-d2.json; do
    [ -f $f ] || { echo "$f is missing: see this folder's README" >&2; exit 1; }
done
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method $M --init $INIT \
    --seed ${SEED:-0} --train_file $d/half1-train-d12.json --valid_file $d/valid-d2.json \
    --max_latent_stage 2 --stage0_epochs 0 --epochs_per_stage 1 --epochs ${EPOCHS:-4} --batch_size 32 \
    --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs \
    --out_dir out/arrows-half1-$RUN${SEED:+-s$SEED}
