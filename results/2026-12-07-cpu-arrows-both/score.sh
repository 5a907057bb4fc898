#!/usr/bin/env bash
# Scores of this folder's two runs after each epoch, as ../2026-12-07-cpu-arrows-features/ scored
# its: the first arrow on the questions with a choice (choice.txt) and where it went at 2 steps
# with the right answers after it (elsewhere.txt); and how often it went straight to an option
# (options.txt, options.py). Every epoch?.pt of a run: out/arrows-both has a fifth epoch
# (EPOCHS=5 bash run.sh, which continues from its last.pt). Two processes side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-both
A=results/2026-12-06-cpu-arrows
d=data/arrows
tests="$d/test-d1.json $d/test-d2.json $d/nodetour-test-d1.json $d/nodetour-test-d2.json"
score() {  # $1: a run's out folder
    for t in $tests; do OMP_NUM_THREADS=1 python $A/choice.py $t $1/epoch?.pt; done; }
options() {
    for t in $d/test-d1.json $d/test-d2.json; do
        echo "$t:"; OMP_NUM_THREADS=1 python $F/options.py $t $1/epoch?.pt; done; }
(score out/arrows-both; options out/arrows-both > $F/options-both.tmp) > $F/choice-both.tmp &
(score out/arrows-half1-s1; options out/arrows-half1-s1 > $F/options-half1-s1.tmp) > $F/choice-half1-s1.tmp
wait
cat $F/choice-both.tmp $F/choice-half1-s1.tmp > $F/choice.txt
cat $F/options-both.tmp $F/options-half1-s1.tmp > $F/options.txt
rm $F/choice-*.tmp $F/options-*.tmp
OMP_NUM_THREADS=2 python results/2026-12-07-cpu-arrows-features/elsewhere.py $d/test-d2.json \
    out/arrows-both/epoch3.pt out/arrows-both/epoch4.pt out/arrows-half1-s1/epoch3.pt \
    > $F/elsewhere.txt
