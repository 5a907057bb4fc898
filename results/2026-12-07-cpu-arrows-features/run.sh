#!/usr/bin/env bash
# Which of ProsQA's features slows CoT's branch choice? The arrows folder's ProsQA arm
# (../2026-12-06-cpu-arrows/run.sh, ARM=prosqa: 64,000 questions, 27% of 1 step) with one thing changed:
#   ARM=half1     as many 1-step questions as 2-step ones (32,000 each), as the fork toy has
#   ARM=nodetour  the same 17,182 + 46,818 split, but no question where a child of the one asked
#                 about that is off every shortest path still reaches the answer (80% of the 1-step
#                 questions with a choice had one, 53% of the 2-step ones)
# Everything else as there: 4-layer 7.5M --prev_tokens 6 CoT from random initialisation, batch 32,
# lr 1e-3, 4 epochs of 2,000 steps, selected on the same 500 2-step questions (valid-d2).
# out/arrows-$ARM; killed and started again, a run continues from its last.pt. THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-features
A=results/2026-12-06-cpu-arrows
d=data/arrows
ARM=${ARM:?ARM=half1 or ARM=nodetour}
gen() { [ -f $d/prosqa-$2.json ] || python data.py generate-prosqa --n $3 --seed $1 --n_nodes 12 \
    --min_steps $4 --max_steps $4 --match_distractor --out $d/prosqa-$2.json
    [ -f $d/$2.json ] || python $A/arrows.py $d/prosqa-$2.json $d/$2.json; }
gen 91 pool-d1 80000 1; gen 92 pool-d2 80000 2; gen 93 pool-test-d1 3000 1; gen 94 pool-test-d2 1500 2
[ -f $d/valid-d2.json ] || { echo "run ARM=prosqa bash $A/run.sh first: it writes $d/valid-d2.json" >&2; exit 1; }
[ -f $d/half1-train-d12.json ] || python $F/pick.py --out $d/half1-train-d12.json --n1 32000 --n2 32000 \
    $d/pool-d1.json $d/pool-d2.json
[ -f $d/nodetour-train-d12.json ] || python $F/pick.py --out $d/nodetour-train-d12.json --n1 17182 --n2 46818 \
    --no_detour $d/pool-d1.json $d/pool-d2.json
[ -f $d/nodetour-test-d1.json ] || python $F/pick.py --out $d/nodetour-test-d1.json --n1 500 --no_detour $d/pool-test-d1.json
[ -f $d/nodetour-test-d2.json ] || python $F/pick.py --out $d/nodetour-test-d2.json --n2 500 --no_detour $d/pool-test-d2.json
case "$ARM" in
    half1|nodetour) ;;
    *) echo "ARM=half1 or ARM=nodetour, not $ARM" >&2; exit 1 ;;
esac
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init scratch --n_layer 4 \
    --n_head 4 --n_embd 128 --prev_tokens 6 --seed 0 --train_file $d/$ARM-train-d12.json \
    --valid_file $d/valid-d2.json --epochs ${EPOCHS:-4} --batch_size 32 --lr 1e-3 --warmup_steps 100 \
    --grad_clip 1 --log_interval 250 --keep_epochs --out_dir out/arrows-$ARM
