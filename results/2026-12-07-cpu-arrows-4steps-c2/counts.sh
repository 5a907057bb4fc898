#!/usr/bin/env bash
# The last epoch of each 4-step Coconut run, given other numbers of thoughts than it was trained
# with, on the 500 4-step test questions (this folder's counts.py): counts.txt. Two thoughts a step
# (trained with 8): 4 to 8; one a step (the 4-step folder's, trained with 4): 2 to 6.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-4steps-c2
export OMP_NUM_THREADS=${THREADS:-2}
python $F/counts.py data/arrows/test-d4.json out/arrows4-coconut-c2/epoch9.pt 4 5 6 7 8 | tee $F/counts.txt
python $F/counts.py data/arrows/test-d4.json out/arrows4-coconut/epoch9.pt 2 3 4 5 6 | tee -a $F/counts.txt
