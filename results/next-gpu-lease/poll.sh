#!/usr/bin/env bash
# poll.sh UNTIL_SECONDS: print the background runs' progress until they are done or the deadline
# comes, then pack logs and metrics into $OUT (checkpoints are too large to come back).
# A later device call of the same lease: run(command="bash results/next-gpu-lease/poll.sh 580").
cd "$(dirname "$0")/../.."
until=$1
while [ $SECONDS -lt $until ] && [ ! -f runs/ALL_DONE ]; do
  sleep 30
  for f in runs/p-*.log; do [ -f $f ] && echo "$SECONDS $f: $(tail -n 1 $f | cut -c1-150)"; done
done
for f in runs/*.log; do echo "== $f"; tail -n 3 $f | cut -c1-200; done
for f in out/p-*/metrics.jsonl; do echo "== $f"; cut -c1-150 $f; done
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv
tar czf $OUT/results.tgz runs $(ls out/p-*/metrics.jsonl 2>/dev/null)
