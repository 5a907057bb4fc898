#!/usr/bin/env bash
# Does fresh data teach the small ProsQA's CoT to choose the branch, as it did on the fork toy?
# From the CoT model trained on the 8,000 depth-matched questions (out/matched-cot/best.pt: 80.3%
# on 2-step questions, the gold child first in 72.7%), 2-step depth-matched questions never seen
# before, 24,000 a chunk, one pass each (3,000 steps of batch 8), each chunk's run starting from
# the last one's weights (a fresh AdamW and warm-up at each chunk):
#   RUN=cot CHUNK=1..4        out/fresh-cot-c$CHUNK (chunk 1 is ../2026-12-06-cpu-two-thoughts' 24,000)
# then Coconut from the CoT model after chunk FROM, as that folder's run.sh did from matched-cot:
# one epoch with the first step a thought, then both steps thoughts, on 24,000 other new questions:
#   RUN=coconut FROM=2 [EPOCHS=4]  out/fresh-coconut-c$FROM (a run continues from its last.pt)
# Selected on the same 300 matched 2-step questions (seed 37) as the earlier folders. THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=${RUN:?RUN=cot or RUN=coconut}
m=data/prosqa-mini/matched
gen() { [ -f $m/$2 ] || python data.py generate-prosqa --n 24000 --seed $1 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/$2; }
gen 42 train24k-d2.json; gen 51 fresh51-d2.json; gen 52 fresh52-d2.json; gen 53 fresh53-d2.json
gen 54 fresh54-d2.json
[ -f $m/valid2-d2.json ] || python data.py generate-prosqa --n 300 --seed 37 --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/valid2-d2.json
COMMON="--dataset prosqa --seed 0 --valid_file $m/valid2-d2.json --batch_size 8 --warmup_steps 200
    --grad_clip 1 --log_interval 500 --lr 1e-3 --keep_epochs"
export OMP_NUM_THREADS=${THREADS:-1}
case "$RUN" in
    cot)
        files=(train24k-d2 fresh51-d2 fresh52-d2 fresh53-d2)
        c=${CHUNK:?CHUNK=1..4}
        init=out/matched-cot/best.pt; [ "$c" = 1 ] || init=out/fresh-cot-c$((c - 1))/last.pt
        python train.py $COMMON --method cot --init $init --train_file $m/${files[c - 1]}.json --epochs 1 \
            --out_dir out/fresh-cot-c$c ;;
    coconut)
        python train.py $COMMON --method coconut --init out/fresh-cot-c${FROM:?FROM=chunk}/last.pt \
            --train_file $m/fresh54-d2.json --epochs ${EPOCHS:-4} --max_latent_stage 2 --stage0_epochs 0 \
            --epochs_per_stage 1 --out_dir out/fresh-coconut-c$FROM ;;
esac
