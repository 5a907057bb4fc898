#!/usr/bin/env bash
# lease 3 (session #7): three small from-scratch runs side by side on full ProsQA (17,886 questions), after the
# NaN fix: Coconut, pause-as-thought (same curriculum, <pause> tokens instead of thoughts), No-CoT.
cd "$(dirname "$0")/.."
export TIKTOKEN_CACHE_DIR=$PWD/.carry/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
small="--n_layer 6 --n_head 6 --n_embd 384"
common="--dataset prosqa --init scratch --seed 0 $small --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 --max_latent_stage 6 --epochs_per_stage 1 --log_interval 500 --stage0_epochs 2 --epochs 14"
for m in coconut pause-as-thought no-cot; do
  timeout 500 python3 train.py $common --method $m --out_dir out/f-$m > runs/f-$m.log 2>&1 &
done
wait
for m in coconut pause-as-thought no-cot; do echo "== $m"; tail -n 2 runs/f-$m.log | cut -c1-150; cut -c1-140 out/f-$m/metrics.jsonl; done
tar czf $OUT/results3.tgz runs out/f-*/metrics.jsonl
