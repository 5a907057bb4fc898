#!/bin/bash
# Rebuild the checkpoints run.sh starts from (README in this folder), with the run.sh cases that
# made them on 2026-12-05, unchanged, then run both of run.sh's cases:
#   4-layer CoT on depths 1 and 2 (8 epochs), then one epoch of 100,000 new questions
#   -> Coconut on depths 1 and 2, seeds 0 and 1 (../2026-12-05-cpu-fork-depths/)
#   -> Coconut on depths 1 to 3 from each (../2026-12-05-cpu-fork-depth3/)
#   -> seed 0's line: depth 4 (out/fork1234-coconut-d4), then RUN=coconut-d5-6l
#      seed 1's line: RUN=coconut-d4-5t
# The two lines run side by side, one thread each; each step logs to logs/chain-<name>.log.
# About 2.5 hours to the depth-4 model (the 2026-12-05 run times), then about an hour. Resumable:
# rerun it, and each train.py continues from its last.pt (a finished run only re-evaluates).
set -e
cd "$(dirname "$0")/../.."
D=results/2026-12-05-cpu-fork-depths/run.sh
T=results/2026-12-05-cpu-fork-depth3/run.sh
G=results/2026-12-06-cpu-fork-grow/run.sh
mkdir -p logs
step() {  # step NAME VAR=value... bash SCRIPT
  local name=$1; shift
  echo "$(date -u +%H:%M) $name"
  env "$@" > logs/chain-$name.log 2>&1
}
step cot4-d12 RUN=cot4-d12 bash $D
step cot4-d12-fresh RUN=cot4-d12-fresh EPOCHS=1 bash $D  # the depth-2 chooser is its epoch0.pt
( step coconut4-d12-s1 RUN=coconut4-d12 SEED=1 bash $D
  step coconut-from-latent-s1 RUN=coconut-from-latent-s1 bash $T
  step coconut-d4-5t RUN=coconut-d4-5t bash $G ) &
sleep 60  # the other line's run.sh writes the same data files first (write, then rename)
step coconut4-d12 RUN=coconut4-d12 bash $D
step coconut-from-latent RUN=coconut-from-latent bash $T
step coconut-d4 RUN=coconut-d4 bash $T
step coconut-d5-6l RUN=coconut-d5-6l bash $G
wait
