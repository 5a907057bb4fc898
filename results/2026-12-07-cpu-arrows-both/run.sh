#!/usr/bin/env bash
# The two changes of ../2026-12-07-cpu-arrows-features/ together: as many 1-step questions as
# 2-step ones (32,000 each, as its half1 arm) and none with a detour (as its nodetour arm). Its pool
# of 80,000 1-step questions (seed 91) has too few without a detour, so a second pool of 100,000 is
# drawn (seed 95) and picked from after it. Everything else as there: 4-layer 7.5M --prev_tokens 6
# CoT from random initialisation, batch 32, lr 1e-3, 4 epochs of 2,000 steps, selected on the arrows
# folder's 500 2-step questions (valid-d2). out/arrows-both; killed and started again, it continues
# from its last.pt. THREADS=1. Run ../2026-12-06-cpu-arrows/run.sh (ARM=prosqa) and
# ../2026-12-07-cpu-arrows-features/run.sh (ARM=half1) first: they write the data it starts from.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-features
A=results/2026-12-06-cpu-arrows
d=data/arrows
for f in $d/valid-d2.json $d/pool-d1.json $d/pool-d2.json; do
    [ -f $f ] || { echo "$f is missing: run $A/run.sh (ARM=prosqa) and $F/run.sh (ARM=half1) first" >&2; exit 1; }
done
[ -f $d/prosqa-pool-d1b.json ] || python data.py generate-prosqa --n 100000 --seed 95 --n_nodes 12 \
    --min_steps 1 --max_steps 1 --match_distractor --out $d/prosqa-pool-d1b.json
[ -f $d/pool-d1b.json ] || python $A/arrows.py $d/prosqa-pool-d1b.json $d/pool-d1b.json
[ -f $d/both-train-d12.json ] || python $F/pick.py --out $d/both-train-d12.json --n1 32000 --n2 32000 \
    --no_detour $d/pool-d1.json $d/pool-d1b.json $d/pool-d2.json
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --init scratch --n_layer 4 \
    --n_head 4 --n_embd 128 --prev_tokens 6 --seed 0 --train_file $d/both-train-d12.json \
    --valid_file $d/valid-d2.json --epochs ${EPOCHS:-4} --batch_size 32 --lr 1e-3 --warmup_steps 100 \
    --grad_clip 1 --log_interval 250 --keep_epochs --out_dir out/arrows-both
