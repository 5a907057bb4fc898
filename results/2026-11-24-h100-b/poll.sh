#!/usr/bin/env bash
# poll.sh UNTIL_SECONDS: wait for the background work (or the deadline), print progress, pack results into $OUT
cd "$(dirname "$0")/.."
until=$1
while [ $SECONDS -lt $until ] && [ ! -f runs/ALL_DONE ]; do
  sleep 30
  for f in runs/s1.log runs/s2.log; do [ -f $f ] && echo "$SECONDS $f: $(tail -n 1 $f | cut -c1-150)"; done
done
for f in runs/*.log; do echo "== $f"; tail -n 4 $f; done
for f in out/*/metrics.jsonl; do echo "== $f"; cut -c1-130 $f; done
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv
tar czf $OUT/results.tgz runs $(ls out/*/metrics.jsonl 2>/dev/null)
