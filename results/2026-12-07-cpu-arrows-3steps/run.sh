#!/usr/bin/env bash
# Three steps on ProsQA's graphs as arrows, where the paper's gap over CoT lies (its ProsQA has 3
# to 6). From the CoT model trained on in ../2026-12-07-cpu-arrows-coconut/ (cot.sh; its best.pt,
# 87.0% of the 2-step test questions), on 64,000 questions: 16,000 of 1 step and 16,000 of 2 (the
# first of the pools the half1 model learned from) and 32,000 of 3 (new, seed 101); selected on 500
# new 3-step questions (seed 102), scored on 500 more (seed 103).
#   RUN=cot bash results/2026-12-07-cpu-arrows-3steps/run.sh      # out/arrows3-cot: CoT; its
#       first epoch is stage 0 for the Coconut run; EPOCHS=5 later trains it on as the control
#   RUN=coconut bash results/2026-12-07-cpu-arrows-3steps/run.sh  # out/arrows3-coconut: from
#       out/arrows3-cot/epoch0.pt, stages 1, 2 and 3 for one epoch each, then the final stage
# batch 32, lr 1e-3, 100 warm-up steps, clipping at 1, epochs of 2,000 steps. THREADS=1 by default;
# killed and started again, a run continues from its last.pt.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=results/2026-12-06-cpu-arrows
P=results/2026-12-07-cpu-arrows-features/pick.py
d=data/arrows
INIT=out/arrows-half1-cot-more/best.pt
for f in $INIT $d/pool-d1.json $d/pool-d2.json; do
    [ -f $f ] || { echo "$f is missing: see this folder's README" >&2; exit 1; }
done
gen3() { [ -f $d/prosqa-$2.json ] || python data.py generate-prosqa --n $3 --seed $1 --n_nodes 12 \
    --min_steps 3 --max_steps 3 --match_distractor --out $d/prosqa-$2.json
    [ -f $d/$2.json ] || python $A/arrows.py $d/prosqa-$2.json $d/$2.json; }
gen3 101 pool-d3 40000; gen3 102 valid-d3 500; gen3 103 test-d3 500
[ -f $d/three-train-d123.json ] || python $P --out $d/three-train-d123.json --n1 16000 --n2 16000 \
    --n3 32000 $d/pool-d1.json $d/pool-d2.json $d/pool-d3.json
common="--dataset prosqa --seed 0 --train_file $d/three-train-d123.json --valid_file $d/valid-d3.json
    --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs"
case "${RUN:?RUN=cot or RUN=coconut}" in
    cot) OMP_NUM_THREADS=${THREADS:-1} python train.py $common --method cot --init $INIT \
        --epochs ${EPOCHS:-1} --out_dir out/arrows3-cot ;;
    coconut) OMP_NUM_THREADS=${THREADS:-1} python train.py $common --method coconut \
        --init out/arrows3-cot/epoch0.pt --max_latent_stage 3 --stage0_epochs 0 --epochs_per_stage 1 \
        --epochs ${EPOCHS:-4} --out_dir out/arrows3-coconut ;;
    *) echo "RUN=cot or RUN=coconut, not $RUN" >&2; exit 1 ;;
esac
