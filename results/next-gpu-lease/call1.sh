#!/usr/bin/env bash
# The first device call of the next lease (prepared 2026-11-25, revised 2026-12-01 for a 15-minute
# lease; not yet run on a GPU): the speed benchmark alone on the GPU (GPT-2 124M, eager, stages 0
# and 6), then the background runs of gpu.sh, then poll until the call's 10 minutes are nearly up.
# From the repository root, after `bash reproduce.sh prepare` and `cp -r ../shared/tiktoken_cache data/`:
#   run(command="bash results/next-gpu-lease/call1.sh", carry=["data/prosqa", "data/tiktoken_cache"], timeout_s=600)
# SMOKE=1 OUT=/tmp/lease bash results/next-gpu-lease/call1.sh: the same on the CPU, tiny (a rehearsal).
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
command -v nvidia-smi > /dev/null && nvidia-smi -L
python3 -c "import torch; print(torch.__version__)"
bench="--stages 0 6 --steps 5 --json runs/bench.json"
[ -n "${SMOKE:-}" ] && bench="$bench --n_layer 2 --n_head 2 --n_embd 32 --batch_size 8 --steps 1 --eval_questions 16"
timeout 150 python3 bench.py $bench > runs/bench.log 2>&1
echo "bench exit $?"; grep -v "^ \|^-" runs/bench.log | head -30
setsid nohup bash results/next-gpu-lease/gpu.sh > runs/gpu.log 2>&1 < /dev/null &
bash results/next-gpu-lease/poll.sh $((575 - SECONDS))
