#!/usr/bin/env bash
# Scores every kept epoch of this folder's runs on the arrows folder's 500 1-step and 500 2-step
# test questions, with the thoughts of the checkpoint's stage (1 after the first epoch, 2 after the
# others; 0 for CoT): thought.txt (thought.py), readout.txt (readout.py, Coconut's thoughts), and
# choice.txt (the arrows folder's choice.py: the first arrow of the CoT models, 2-step questions).
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-coconut
export OMP_NUM_THREADS=${THREADS:-1}
k_of() { case "$1" in *-cot-more/*|*-half1-s1/*) echo 0 ;; */epoch0.pt) echo 1 ;; *) echo 2 ;; esac; }
: > $F/thought.txt; : > $F/readout.txt; : > $F/choice.txt
for t in test-d1 test-d2; do
    for ckpt in out/arrows-half1-s1/best.pt out/arrows-half1-cot-more/epoch?.pt \
                out/arrows-half1-coconut*/epoch?.pt out/arrows-half1-pause/epoch?.pt; do
        [ -f $ckpt ] || continue
        python $F/thought.py data/arrows/$t.json $(k_of $ckpt) $ckpt | tee -a $F/thought.txt
    done
done
for ckpt in out/arrows-half1-coconut*/epoch?.pt; do
    python $F/readout.py data/arrows/test-d2.json $(k_of $ckpt) $ckpt | tee -a $F/readout.txt
done
python results/2026-12-06-cpu-arrows/choice.py data/arrows/test-d2.json out/arrows-half1-s1/best.pt \
    out/arrows-half1-cot-more/epoch?.pt | tee -a $F/choice.txt
