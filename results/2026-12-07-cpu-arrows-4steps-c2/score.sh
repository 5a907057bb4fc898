#!/usr/bin/env bash
# Scores every kept epoch of this folder's run on 500 test questions of each of 1 to 4 steps, with
# the thoughts of the checkpoint's stage (2, 4, 6, then 8): thought.txt (the arrows-coconut
# folder's thought.py) and depths.txt (the 3-step folder's depths.py: the thoughts read through
# the LM head, 4-step questions). The 4-step folder's score.sh, for two thoughts a step.
# SEED=1 scores run.sh's SEED=1 run (out/arrows4-coconut-c2-s1) into thought-s1.txt, depths-s1.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-4steps-c2
C=results/2026-12-07-cpu-arrows-coconut
export OMP_NUM_THREADS=${THREADS:-2}
k_of() { case "$1" in */epoch0.pt) echo 2 ;; */epoch1.pt) echo 4 ;; */epoch2.pt) echo 6 ;;
    *) echo 8 ;; esac; }
SEED=${SEED:-0}
RUN_DIR=out/arrows4-coconut-c2; S=""
[ "$SEED" = 0 ] || { RUN_DIR=$RUN_DIR-s$SEED; S=-s$SEED; }
: > $F/thought$S.txt; : > $F/depths$S.txt
for t in test-d1 test-d2 test-d3 test-d4; do
    for ckpt in $RUN_DIR/epoch?.pt; do
        python $C/thought.py data/arrows/$t.json $(k_of $ckpt) $ckpt | tee -a $F/thought$S.txt
    done
done
for ckpt in $RUN_DIR/epoch?.pt; do
    python results/2026-12-07-cpu-arrows-3steps/depths.py data/arrows/test-d4.json $(k_of $ckpt) \
        $ckpt | tee -a $F/depths$S.txt
done
