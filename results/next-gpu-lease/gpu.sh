#!/usr/bin/env bash
# Background work of the next lease (started by call1.sh): full ProsQA from random initialisation
# with --prev_tokens 6, Coconut and CoT side by side on one GPU (the table's two ProsQA cells from
# scratch and the curve figure), then analysis.py on Coconut's best.pt and the curves.
# A 30.3M-parameter model (6 layers, 384 wide): on an H100 a CoT epoch of it took 12.6 s alone and
# a latent epoch 26 to 49 s (results/2026-11-24-h100-b/), so Coconut's 16 epochs (8 CoT, one per
# stage up to 6 thoughts, 2 in the final stage) should take about 8 minutes beside CoT.
# SMOKE=1: a CPU rehearsal of the same steps with a tiny model and 32 questions (about a minute).
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
size="--n_layer 6 --n_head 6 --n_embd 384 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300"
curriculum="--max_latent_stage 6 --stage0_epochs 8 --epochs_per_stage 1 --epochs 16"
limit=""
if [ -n "${SMOKE:-}" ]; then
  size="--n_layer 2 --n_head 2 --n_embd 32 --batch_size 8 --micro_batch_size 8 --eval_batch_size 16
    --limit_train 32 --limit_valid 16 --max_new_tokens 64"
  curriculum="--max_latent_stage 2 --stage0_epochs 1 --epochs_per_stage 1 --epochs 4"
  limit="--limit 16"
fi
common="--dataset prosqa --init scratch --prev_tokens 6 --seed 0 --lr 1e-3 --warmup_steps 200
  --grad_clip 1.0 --log_interval 100 $size"
( python3 train.py $common --method coconut $curriculum --out_dir out/p-coconut > runs/p-coconut.log 2>&1
  echo "exit $?" >> runs/p-coconut.log
  python3 analysis.py --ckpt out/p-coconut/best.pt --valid_file data/prosqa/prosqa_valid.json $limit \
    --out_dir runs/p-analysis > runs/p-analysis.log 2>&1
  echo "exit $?" >> runs/p-analysis.log ) &
# CoT gets as many epochs as Coconut and goes on while the lease lasts (metrics.jsonl per epoch)
( python3 train.py $common --method cot --epochs 40 --out_dir out/p-cot > runs/p-cot.log 2>&1
  echo "exit $?" >> runs/p-cot.log ) &
wait %1
python3 curves.py out/p-coconut out/p-cot --out runs/prosqa_curves.png \
  --title "ProsQA validation accuracy (from scratch, --prev_tokens 6)" > runs/curves.log 2>&1
echo "exit $?" >> runs/curves.log
touch runs/COCONUT_DONE
wait
touch runs/ALL_DONE
