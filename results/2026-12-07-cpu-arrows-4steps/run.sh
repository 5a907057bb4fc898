#!/usr/bin/env bash
# Four steps on ProsQA's graphs as arrows. From the 3-step folder's CoT model trained on
# (../2026-12-07-cpu-arrows-3steps/, its best.pt: 89.8% of the 3-step validation questions after
# 12,000 steps, never shown a 4-step question), on 48,000 questions: 8,000 of 1 step, 8,000 of 2
# and 16,000 of 3 (the first of the pools the earlier runs learned from) and 16,000 of 4 (new;
# 14-node graphs, as 12 nodes give no 4-step question with the distractor as deep as the answer).
# Selected on 500 new 4-step questions (seed 202), scored on 500 more (seed 203).
#   RUN=data bash results/2026-12-07-cpu-arrows-4steps/run.sh     # the data, two processes
#   RUN=cot bash results/2026-12-07-cpu-arrows-4steps/run.sh      # out/arrows4-cot: CoT trained on
#   RUN=coconut bash results/2026-12-07-cpu-arrows-4steps/run.sh  # out/arrows4-coconut: stages 1
#       to 4 for one epoch each, then the final stage (EPOCHS=5)
# Both runs start from the same model; batch 32, lr 1e-3, 100 warm-up steps, clipping at 1, epochs
# of 1,500 steps, EPOCHS=4 by default. THREADS=1 by default; killed and started again, a run
# continues from its last.pt. SEED=1 runs Coconut again with another seed (the order the questions
# come in), into out/arrows4-coconut-s1.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=results/2026-12-06-cpu-arrows
P=results/2026-12-07-cpu-arrows-features/pick.py
d=data/arrows
INIT=out/arrows3-cot/best.pt
for f in $INIT $d/pool-d1.json $d/pool-d2.json $d/pool-d3.json; do
    [ -f $f ] || { echo "$f is missing: see this folder's README" >&2; exit 1; }
done
gen4() { [ -f $d/prosqa-$2.json ] || python data.py generate-prosqa --n $3 --seed $1 --n_nodes 14 \
    --min_steps 4 --max_steps 4 --match_distractor --out $d/prosqa-$2.json
    [ -f $d/$2.json ] || python $A/arrows.py $d/prosqa-$2.json $d/$2.json; }
SEED=${SEED:-0}
COCONUT_OUT=out/arrows4-coconut; [ "$SEED" = 0 ] || COCONUT_OUT=$COCONUT_OUT-s$SEED
common="--dataset prosqa --train_file $d/four-train-d1234.json --valid_file $d/valid-d4.json
    --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs"
case "${RUN:?RUN=data, cot or coconut}" in
    data)
        (gen4 201 pool-d4a 8500; gen4 202 valid-d4 500) & (gen4 204 pool-d4b 8500; gen4 203 test-d4 500)
        wait
        [ -f $d/four-train-d1234.json ] || python $P --out $d/four-train-d1234.json --n1 8000 \
            --n2 8000 --n3 16000 --n4 16000 $d/pool-d1.json $d/pool-d2.json $d/pool-d3.json \
            $d/pool-d4a.json $d/pool-d4b.json
        # no scored or validation question is a training question, and the two share none
        python - $d/four-train-d1234.json $d/valid-d4.json $d/test-d4.json <<'EOF'
import json, sys
train, valid, test = ({r["question"] for r in json.load(open(f))} for f in sys.argv[1:])
for name, s in (("validation and training", valid & train), ("test and training", test & train),
                ("validation and test", valid & test)):
    if s:
        raise SystemExit(f"{len(s)} questions are in both the {name} files: {sorted(s)[:2]}")
print("no question shared between training, validation and test")
EOF
        ;;
    cot) [ "$SEED" = 0 ] || { echo "SEED is for RUN=coconut only" >&2; exit 1; }
        OMP_NUM_THREADS=${THREADS:-1} python train.py $common --seed 0 --method cot --init $INIT \
        --epochs ${EPOCHS:-4} --out_dir out/arrows4-cot ;;
    coconut) OMP_NUM_THREADS=${THREADS:-1} python train.py $common --seed $SEED --method coconut \
        --init $INIT --max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 1 \
        --epochs ${EPOCHS:-4} --out_dir $COCONUT_OUT ;;
    *) echo "RUN=data, cot or coconut, not $RUN" >&2; exit 1 ;;
esac
