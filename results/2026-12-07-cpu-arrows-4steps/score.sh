#!/usr/bin/env bash
# Scores every kept epoch of this folder's runs, and the model they start from, on 500 test
# questions of each of 1 to 4 steps, with the thoughts of the checkpoint's stage (1, 2, 3, then 4
# for Coconut; 0 for CoT): thought.txt (the arrows-coconut folder's thought.py), depths.txt (the
# 3-step folder's depths.py: the Coconut model's thoughts read through the LM head, 4-step
# questions) and choice.txt (the arrows folder's choice.py: the first arrow of the CoT models,
# 4-step questions). A run not there yet is skipped. SEED=1 scores only run.sh's SEED=1 Coconut
# run (out/arrows4-coconut-s1) into thought-s1.txt and depths-s1.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-4steps
C=results/2026-12-07-cpu-arrows-coconut
export OMP_NUM_THREADS=${THREADS:-1}
k_of() { case "$1" in *-cot*) echo 0 ;; */epoch0.pt) echo 1 ;; */epoch1.pt) echo 2 ;;
    */epoch2.pt) echo 3 ;; *) echo 4 ;; esac; }
SEED=${SEED:-0}
RUN_DIR=out/arrows4-coconut; S=""; cots="out/arrows3-cot/best.pt $(ls out/arrows4-cot/epoch?.pt)"
[ "$SEED" = 0 ] || { RUN_DIR=$RUN_DIR-s$SEED; S=-s$SEED; cots=""; }
if [ "$SEED" != 0 ] && [ ! -f $RUN_DIR/epoch0.pt ]; then
    echo "SEED=$SEED: $RUN_DIR/epoch0.pt is missing; run run.sh with SEED=$SEED first" >&2; exit 1
fi
: > $F/thought$S.txt; : > $F/depths$S.txt
for t in test-d1 test-d2 test-d3 test-d4; do
    for ckpt in $cots $RUN_DIR/epoch?.pt; do
        [ -f $ckpt ] || continue
        python $C/thought.py data/arrows/$t.json $(k_of $ckpt) $ckpt | tee -a $F/thought$S.txt
    done
done
for ckpt in $RUN_DIR/epoch?.pt; do
    [ -f $ckpt ] || continue
    python results/2026-12-07-cpu-arrows-3steps/depths.py data/arrows/test-d4.json $(k_of $ckpt) \
        $ckpt | tee -a $F/depths$S.txt
done
[ "$SEED" != 0 ] || python results/2026-12-06-cpu-arrows/choice.py data/arrows/test-d4.json $cots \
    | tee $F/choice.txt
