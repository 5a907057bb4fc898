#!/usr/bin/env bash
# The fork toy's CoT learned its depth-2 choice on questions of depths 1 and 2 mixed; these runs
# only ever saw 2-step questions. From the CoT model after run.sh's third chunk
# (out/fresh-cot-c3/last.pt: 99.3% of first steps from the person, the gold child 70.3%),
# 24,000 new depth-matched questions a chunk, half 1-step and half 2-step, one pass each:
#   CHUNK=1..2 bash run-mix.sh     out/fresh-mix-c$CHUNK
# selected on the 300 matched 2-step questions of run.sh (seed 37). THREADS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
c=${CHUNK:?CHUNK=1..2}
m=data/prosqa-mini/matched
small="--n_nodes 12 --match_distractor --n 12000"
for s in $((59 + 2 * c)) $((60 + 2 * c)); do
    steps=$(( s % 2 == 1 ? 1 : 2 ))
    [ -f $m/mix-s$s.json ] || python data.py generate-prosqa $small --seed $s --min_steps $steps \
        --max_steps $steps --out $m/mix-s$s.json
done
python - $m/mix-s$((59 + 2 * c)).json $m/mix-s$((60 + 2 * c)).json $m/mix-c$c.json <<'PY'
import json, random, sys
records = json.load(open(sys.argv[1])) + json.load(open(sys.argv[2]))
random.Random(0).shuffle(records)
json.dump(records, open(sys.argv[3], "w"))
PY
init=out/fresh-cot-c3/last.pt; [ "$c" = 1 ] || init=out/fresh-mix-c$((c - 1))/last.pt
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --seed 0 --init $init \
    --train_file $m/mix-c$c.json --valid_file $m/valid2-d2.json --epochs 1 --batch_size 8 \
    --warmup_steps 200 --grad_clip 1 --log_interval 500 --lr 1e-3 --keep_epochs --out_dir out/fresh-mix-c$c
