#!/usr/bin/env bash
# CoT trained on as long as possible beside the two-a-step run: the 4-step folder's CoT run
# (out/arrows4-cot, four epochs there) continued to six epochs (9,000 steps), then its two new
# epochs scored on the 500 4-step and 3-step test questions (the arrows-coconut folder's
# thought.py): cot-more.txt.
#   RUN=train bash results/2026-12-07-cpu-arrows-4steps-c2/cot-more.sh   # about 35 min, 2 threads
#   RUN=score bash results/2026-12-07-cpu-arrows-4steps-c2/cot-more.sh   # about 2 min
set -euo pipefail
cd "$(dirname "$0")/../.."
F=results/2026-12-07-cpu-arrows-4steps-c2
case "${RUN:?RUN=train or score}" in
    train) RUN=cot EPOCHS=6 THREADS=2 bash results/2026-12-07-cpu-arrows-4steps/run.sh ;;
    score) export OMP_NUM_THREADS=${THREADS:-2}
        : > $F/cot-more.txt
        for t in test-d4 test-d3; do
            python results/2026-12-07-cpu-arrows-coconut/thought.py data/arrows/$t.json 0 \
                out/arrows4-cot/epoch4.pt out/arrows4-cot/epoch5.pt | tee -a $F/cot-more.txt
        done ;;
    *) echo "RUN=train or score, not $RUN" >&2; exit 1 ;;
esac
