#!/usr/bin/env bash
# CoT from random initialisation on the same 2-step depth-matched questions, in their own words
# (WORDS=orig: concepts of 2 to 4 BPE tokens) or relabelled so that every concept and name is one
# token (WORDS=1tok: relabel.py, the same graphs), chunk by chunk as run.sh: 24,000 questions a
# chunk, one pass each, each chunk's run starting from the last one's weights:
#   WORDS=1tok CHUNK=1..5 bash run-scratch.sh     out/fresh-scratch-$WORDS-c$CHUNK
# The model of the earlier small-ProsQA folders (4 layers, 128 wide, --prev_tokens 6, 7.5M).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORDS=${WORDS:?WORDS=orig or WORDS=1tok}
c=${CHUNK:?CHUNK=1..5}
src=data/prosqa-mini/matched
files=(train24k-d2 fresh51-d2 fresh52-d2 fresh53-d2 fresh54-d2)
[ -f $src/${files[c - 1]}.json ] && [ -f $src/valid2-d2.json ] || { echo "run.sh writes the question files"; exit 1; }
d=$src
if [ "$WORDS" = 1tok ]; then
    d=data/prosqa-1tok
    mkdir -p $d
    for f in ${files[c - 1]} valid2-d2; do
        [ -f $d/$f.json ] || python results/2026-12-06-cpu-fresh-cot/relabel.py $src/$f.json $d/$f.json
    done
fi
init="--init scratch --n_layer 4 --n_head 4 --n_embd 128 --prev_tokens 6"
[ "$c" = 1 ] || init="--init out/fresh-scratch-$WORDS-c$((c - 1))/last.pt"
OMP_NUM_THREADS=${THREADS:-1} python train.py --dataset prosqa --method cot --seed 0 $init \
    --train_file $d/${files[c - 1]}.json --valid_file $d/valid2-d2.json --epochs 1 --batch_size 8 \
    --warmup_steps 200 --grad_clip 1 --log_interval 500 --lr 1e-3 --keep_epochs --out_dir out/fresh-scratch-$WORDS-c$c
