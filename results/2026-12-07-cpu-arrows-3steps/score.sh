#!/usr/bin/env bash
# Scores every kept epoch of this folder's runs, and the model they start from, on 500 test
# questions of each of 1, 2 and 3 steps, with the thoughts of the checkpoint's stage (1, 2, then 3
# for the two Coconut runs and pause-as-thought; 0 for CoT): thought.txt (the arrows-coconut
# folder's thought.py), depths.txt (depths.py: the Coconut models' thoughts read through the LM
# head, 3-step questions) and choice.txt (the arrows folder's choice.py: the first arrow of the CoT
# models, 3-step questions). A run not there yet is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-3steps
C=results/2026-12-07-cpu-arrows-coconut
export OMP_NUM_THREADS=${THREADS:-1}
k_of() { case "$1" in *-cot*) echo 0 ;; */epoch0.pt) echo 1 ;; */epoch1.pt) echo 2 ;; *) echo 3 ;; esac; }
cots="out/arrows-half1-cot-more/best.pt $(ls out/arrows3-cot/epoch?.pt)"
: > $F/thought.txt; : > $F/depths.txt; : > $F/choice.txt
for t in test-d1 test-d2 test-d3; do
    for ckpt in $cots out/arrows3-coconut/epoch?.pt out/arrows3-coconut-late/epoch?.pt \
        out/arrows3-pause/epoch?.pt; do
        [ -f $ckpt ] || continue
        python $C/thought.py data/arrows/$t.json $(k_of $ckpt) $ckpt | tee -a $F/thought.txt
    done
done
for ckpt in out/arrows3-coconut/epoch?.pt out/arrows3-coconut-late/epoch?.pt; do
    [ -f $ckpt ] || continue
    python $F/depths.py data/arrows/test-d3.json $(k_of $ckpt) $ckpt | tee -a $F/depths.txt
done
python results/2026-12-06-cpu-arrows/choice.py data/arrows/test-d3.json $cots | tee -a $F/choice.txt
