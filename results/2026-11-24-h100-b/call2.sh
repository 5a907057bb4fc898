#!/usr/bin/env bash
# lease 2 (session #7): bench after (1) masked passes use plain attention math, (2) cuDNN attention off;
# then the same bench with cuDNN attention left on (which change did what); batch 32; a NaN check run.
cd "$(dirname "$0")/.."
export TIKTOKEN_CACHE_DIR=$PWD/.carry/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
timeout 240 python3 bench.py --stages 0 1 2 3 4 5 6 7 --steps 5 --json runs/bench.json > runs/bench.log 2>&1
echo "bench exit $?"; cat runs/bench.log
timeout 100 python3 bench.py --stages 0 6 --steps 5 --profile > runs/bench-profile.log 2>&1
echo "profile exit $?"; grep -v "^-" runs/bench-profile.log | cut -c1-60,100-200 | head -60
timeout 90 python3 -c "
import torch, bench
torch.backends.cuda.enable_cudnn_sdp = lambda flag: None  # keep cuDNN attention on
bench.main(['--stages', '0', '6', '--steps', '5', '--json', 'runs/bench-cudnn.json'])" > runs/bench-cudnn.log 2>&1
echo "cudnn exit $?"; cat runs/bench-cudnn.log
timeout 90 python3 bench.py --batch_size 32 --stages 0 6 --steps 5 --json runs/bench32.json > runs/bench32.log 2>&1
echo "bench32 exit $?"; cat runs/bench32.log
small="--n_layer 6 --n_head 6 --n_embd 384"
timeout $((570 - SECONDS)) python3 train.py --dataset prosqa --method coconut --init scratch --seed 0 $small --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 --max_latent_stage 6 --epochs_per_stage 1 --log_interval 500 --stage0_epochs 2 --epochs 6 --out_dir out/nan > runs/nan.log 2>&1
echo "nan exit $?"; grep -c "step skipped" runs/nan.log; cut -c1-200 out/nan/metrics.jsonl
tar czf $OUT/results2.tgz runs out/nan/metrics.jsonl
