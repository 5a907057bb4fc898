#!/usr/bin/env bash
# The first device call of the next lease (prepared 2026-11-25, revised 2026-12-01 for a 15-minute
# lease, 2026-12-02 for the compiled blocks; not yet run on a GPU): the speed benchmark alone on
# the GPU (GPT-2 124M, every stage, eager and then with --compile 1), then the background runs of
# gpu.sh, then poll until the call's 10 minutes are nearly up.
# From the repository root, after `bash reproduce.sh prepare` and `cp -r ../shared/tiktoken_cache data/`:
#   run(command="bash results/next-gpu-lease/call1.sh", carry=["data/prosqa", "data/tiktoken_cache"], timeout_s=600)
# SMOKE=1 OUT=/tmp/lease bash results/next-gpu-lease/call1.sh: the same on the CPU, tiny (a rehearsal).
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
command -v nvidia-smi > /dev/null && nvidia-smi -L
python3 -c "import torch; print(torch.__version__)"
# every stage, so that bench.py also prints the 50-epoch estimate; eager first, then compiled blocks
bench="--stages 0 1 2 3 4 5 6 7 --steps 5"
[ -n "${SMOKE:-}" ] && bench="$bench --n_layer 2 --n_head 2 --n_embd 32 --batch_size 8 --steps 1 --eval_questions 16"
timeout 150 python3 bench.py $bench --json runs/bench.json > runs/bench.log 2>&1
echo "bench exit $?"; grep -v "^ \|^-" runs/bench.log | head -30
timeout 300 python3 bench.py $bench --compile 1 --json runs/bench-compile.json > runs/bench-compile.log 2>&1
echo "bench --compile 1 exit $?"; grep -v "^ \|^-" runs/bench-compile.log | head -30
setsid nohup bash results/next-gpu-lease/gpu.sh > runs/gpu.log 2>&1 < /dev/null &
bash results/next-gpu-lease/poll.sh $((575 - SECONDS))
