#!/usr/bin/env bash
# The first device call of the next H100 lease (prepared 2026-11-25, not yet run): the speed
# benchmark alone on the GPU (eager, then --compile 1), then the background runs of gpu.sh, then
# poll until the call's 10 minutes are nearly up. Run from the repository root with
#   run(command="bash results/next-gpu-lease/call1.sh", carry=["data/prosqa", "data/tiktoken_cache"])
# after `bash reproduce.sh prepare` and `cp -r ../shared/tiktoken_cache data/` here.
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
nvidia-smi -L; python3 -c "import torch; print(torch.__version__)"
timeout 150 python3 bench.py --stages 0 6 --steps 5 --json runs/bench.json > runs/bench.log 2>&1
echo "bench exit $?"; grep -v "^ \|^-" runs/bench.log | head -30
timeout 200 python3 bench.py --stages 0 6 --steps 5 --compile 1 --json runs/bench-compiled.json > runs/bench-compiled.log 2>&1
echo "bench --compile 1 exit $?"; grep -v "^ \|^-" runs/bench-compiled.log | head -30
setsid nohup bash results/next-gpu-lease/gpu.sh > runs/gpu.log 2>&1 < /dev/null &
bash results/next-gpu-lease/poll.sh $((580 - SECONDS))
