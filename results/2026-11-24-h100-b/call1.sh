#!/usr/bin/env bash
# first call of a lease: the speed benchmark alone on the GPU (foreground), then the background runs, then poll
cd "$(dirname "$0")/.."
export TIKTOKEN_CACHE_DIR=$PWD/.carry/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
nvidia-smi -L; python3 -c "import torch; print(torch.__version__)"
timeout 200 python3 bench.py --stages 0 1 6 --steps 5 --profile --json runs/bench.json > runs/bench.log 2>&1
echo "bench exit $?"; grep -v "^ \|^-" runs/bench.log | head -40
timeout 100 python3 bench.py --batch_size 32 --stages 0 6 --steps 5 --json runs/bench32.json > runs/bench32.log 2>&1
echo "bench32 exit $?"; cat runs/bench32.log | head -30
setsid nohup bash .carry/gpu.sh > runs/gpu.log 2>&1 < /dev/null &
bash .carry/poll.sh $((580 - SECONDS))
