#!/usr/bin/env bash
# Four steps on ProsQA's graphs as arrows, two thoughts a step. The 4-step folder's Coconut run
# (../2026-12-07-cpu-arrows-4steps/) again, with one change: --c_thought 2, so that each removed
# step becomes two continuous thoughts and the final stage has eight, not four. Same start
# (out/arrows3-cot/best.pt), data, settings and seed; stages 1 to 4 for one epoch each, then the
# final stage.
#   RUN=coconut bash results/2026-12-07-cpu-arrows-4steps-c2/run.sh   # out/arrows4-coconut-c2
# EPOCHS=10 by default (the 4-step run's count), THREADS=2 by default; killed and started again,
# the run continues from its last.pt. SEED=1 runs it again with another seed (the order the
# questions come in), into out/arrows4-coconut-c2-s1.
set -euo pipefail
cd "$(dirname "$0")/../.."
d=data/arrows
INIT=out/arrows3-cot/best.pt
for f in $INIT $d/four-train-d1234.json $d/valid-d4.json; do
    [ -f $f ] || { echo "$f is missing: run the 4-step folder's RUN=data first" >&2; exit 1; }
done
SEED=${SEED:-0}
OUT=out/arrows4-coconut-c2; [ "$SEED" = 0 ] || OUT=$OUT-s$SEED
case "${RUN:?RUN=coconut}" in
    coconut) OMP_NUM_THREADS=${THREADS:-2} python train.py --dataset prosqa --seed $SEED \
        --train_file $d/four-train-d1234.json --valid_file $d/valid-d4.json --batch_size 32 \
        --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs \
        --method coconut --init $INIT --c_thought 2 --max_latent_stage 4 --stage0_epochs 0 \
        --epochs_per_stage 1 --epochs ${EPOCHS:-10} --out_dir $OUT ;;
    *) echo "RUN=coconut, not $RUN" >&2; exit 1 ;;
esac
