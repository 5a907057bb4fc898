#!/usr/bin/env bash
# poll.sh UNTIL_SECONDS: print the background runs' progress until Coconut's run, its analysis and
# the curves are done or the deadline comes, then pack logs, metrics, the analysis and the figures into $OUT
# (checkpoints are too large to come back). A later call of the same lease:
#   run(command="bash results/next-gpu-lease/poll.sh 280", timeout_s=300)
cd "$(dirname "$0")/../.."
until=$1
while [ $SECONDS -lt $until ] && [ ! -f runs/COCONUT_DONE ]; do
  sleep 20
  for f in runs/p-*.log; do [ -f $f ] && echo "$SECONDS $f: $(tail -n 1 $f | cut -c1-150)"; done
done
for f in runs/*.log; do echo "== $f"; tail -n 3 $f | cut -c1-200; done
for f in out/p-*/metrics.jsonl; do echo "== $f"; cut -c1-160 $f; done
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv
mkdir -p runs/metrics && for d in out/p-*; do [ -f $d/metrics.jsonl ] && cp $d/metrics.jsonl runs/metrics/$(basename $d).jsonl; done
tar czf $OUT/results.tgz runs
ls -la $OUT
