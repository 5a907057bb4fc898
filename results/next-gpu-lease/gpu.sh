#!/usr/bin/env bash
# Background work of the next H100 lease (started by call1.sh): full ProsQA from random
# initialisation with --prev_tokens 6, Coconut and CoT side by side on one GPU (the table's two
# ProsQA cells from scratch and the curve figure). A 30M-parameter model (6 layers, 384 wide):
# on an H100 a CoT epoch of it took 12.6 s alone, a latent epoch 26 to 49 s
# (results/2026-11-24-h100-b/). Every run resumes from its last.pt, so a cut-off lease loses at
# most an epoch: calling this script again in a later lease continues them.
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
common="--dataset prosqa --init scratch --prev_tokens 6 --seed 0 --n_layer 6 --n_head 6 --n_embd 384
  --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300
  --log_interval 200"
curriculum="--max_latent_stage 6 --stage0_epochs 8 --epochs_per_stage 2 --epochs 24"
( python3 train.py $common --method coconut $curriculum --out_dir out/p-coconut > runs/p-coconut.log 2>&1
  echo "exit $?" >> runs/p-coconut.log
  python3 analysis.py --ckpt out/p-coconut/best.pt --out_dir runs/p-analysis > runs/p-analysis.log 2>&1
  echo "exit $?" >> runs/p-analysis.log ) &
( python3 train.py $common --method cot --epochs 24 --out_dir out/p-cot > runs/p-cot.log 2>&1
  echo "exit $?" >> runs/p-cot.log ) &
wait
python3 curves.py out/p-coconut out/p-cot --out runs/prosqa_curves.png \
  --title "ProsQA validation accuracy (from scratch, --prev_tokens 6)" > runs/curves.log 2>&1
touch runs/ALL_DONE
