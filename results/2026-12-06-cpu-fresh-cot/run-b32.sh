#!/usr/bin/env bash
# The fork toy's CoT learned its choice at batch 32; these runs were at batch 8. From the CoT model
# after run.sh's third chunk (out/fresh-cot-c3/last.pt), new depth-matched 2-step questions at
# batch 32 (lr 1e-3, 100 warm-up steps, as the fork toy), 24,000 a chunk (750 steps), one pass each:
#   CHUNK=1..4 bash run-b32.sh     out/fresh-b32-c$CHUNK
# selected on the 300 matched 2-step questions of run.sh (seed 37). THREADS=2.
set -euo pipefail
cd "$(dirname "$0")/../.."
c=${CHUNK:?CHUNK=1..4}
m=data/prosqa-mini/matched
s=$((53 + c))  # chunk 1 is run.sh's fresh54-d2.json (written by run.sh, used by no run before)
[ -f $m/fresh$s-d2.json ] || python data.py generate-prosqa --n 24000 --seed $s --n_nodes 12 --min_steps 2 \
    --max_steps 2 --match_distractor --out $m/fresh$s-d2.json
init=out/fresh-cot-c3/last.pt; [ "$c" = 1 ] || init=out/fresh-b32-c$((c - 1))/last.pt
OMP_NUM_THREADS=${THREADS:-2} python train.py --dataset prosqa --method cot --seed 0 --init $init \
    --train_file $m/fresh$s-d2.json --valid_file $m/valid2-d2.json --epochs 1 --batch_size 32 \
    --warmup_steps 100 --grad_clip 1 --log_interval 250 --lr 1e-3 --keep_epochs --out_dir out/fresh-b32-c$c
