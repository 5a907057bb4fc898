#!/usr/bin/env bash
# The last epoch of each 4-step Coconut run, given other numbers of thoughts than it was trained
# with, on the 500 4-step test questions (the arrows-coconut folder's thought.py): counts.txt.
# Two thoughts a step (trained with 8): 4 to 8; one a step (the 4-step folder's, trained with 4):
# 2 to 6.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-4steps-c2
C=results/2026-12-07-cpu-arrows-coconut
export OMP_NUM_THREADS=${THREADS:-2}
: > $F/counts.txt
for k in 4 5 6 7 8; do
    python $C/thought.py data/arrows/test-d4.json $k out/arrows4-coconut-c2/epoch9.pt | tee -a $F/counts.txt
done
for k in 2 3 4 5 6; do
    python $C/thought.py data/arrows/test-d4.json $k out/arrows4-coconut/epoch9.pt | tee -a $F/counts.txt
done
