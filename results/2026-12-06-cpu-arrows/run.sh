#!/usr/bin/env bash
# Is it ProsQA's graphs that keep CoT from learning the branch choice? The same CoT recipe from
# random initialisation on two kinds of question written the same way (letters and arrows):
#   ARM=fork    the fork toy's graphs, depths 1 and 2 (make_fork.py; r has two children)
#   ARM=prosqa  ProsQA's graphs of 1 and 2 steps (data.py generate-prosqa --n_nodes 12
#               --match_distractor, as the small-ProsQA folders), rewritten by arrows.py
# 64,000 questions, 4 epochs of 2,000 steps at batch 32; the fork toy's 4-layer CoT settings
# (lr 1e-3, 100 warm-up steps, clipping at 1), selected on 500 two-step questions of its own kind.
# out/arrows-$ARM; killed and started again, a run continues from its last.pt. THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-06-cpu-arrows
d=data/arrows
ARM=${ARM:?ARM=fork or ARM=prosqa}
gen() { [ -f $d/prosqa-$2.json ] || python data.py generate-prosqa --n $3 --seed $1 --n_nodes 12 \
    --min_steps $4 --max_steps $5 --match_distractor --out $d/prosqa-$2.json
    [ -f $d/$2.json ] || python $F/arrows.py $d/prosqa-$2.json $d/$2.json; }
gen 81 train-d12 64000 1 2; gen 82 valid-d2 500 2 2; gen 83 test-d2 500 2 2; gen 84 test-d1 500 1 1
[ -f $d/fork-train-d12.json ] || python results/2026-12-05-cpu-fork/make_fork.py --n 64000 --seed 85 \
    --depth 1 2 --out $d/fork-train-d12.json
[ -f $d/fork-valid-d2.json ] || python results/2026-12-05-cpu-fork/make_fork.py --n 500 --seed 86 \
    --depth 2 --out $d/fork-valid-d2.json
case "$ARM" in
    fork) train=$d/fork-train-d12.json; valid=$d/fork-valid-d2.json ;;
    prosqa) train=$d/train-d12.json; valid=$d/valid-d2.json ;;
    *) echo "ARM=fork or ARM=prosqa, not $ARM" >&2; exit 1 ;;
esac
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init scratch --n_layer 4 \
    --n_head 4 --n_embd 128 --prev_tokens 6 --seed 0 --train_file $train --valid_file $valid \
    --epochs ${EPOCHS:-4} --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 250 \
    --keep_epochs --out_dir out/arrows-$ARM
