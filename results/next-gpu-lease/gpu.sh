#!/usr/bin/env bash
# Background work of the next lease (started by call1.sh): full ProsQA from random initialisation
# with --prev_tokens 6, Coconut and CoT side by side on one GPU (the table's two ProsQA cells from
# scratch and the curve figure), then analysis.py on Coconut's best.pt, both models on depth-matched
# questions, and the curves.
# Both start from a CoT model trained first on a smaller ProsQA (12-node graphs, 2 to 4 steps):
# on the CPU that warm start read the full ProsQA's facts after one epoch, where CoT from scratch
# had not after five (results/2026-12-04-cpu-full-cot-from-mini/).
# A 31.2M-parameter model (6 layers, 384 wide; 30.3M without the --prev_tokens 6 window): on an
# H100 a CoT epoch of the 30.3M model took 12.6 s alone and a latent epoch 26 to 49 s
# (results/2026-11-24-h100-b/), so Coconut's 16 epochs (8 CoT, one per stage up to 6 thoughts, 2 in
# the final stage) should take about 8 minutes beside CoT.
# SMOKE=1: a CPU rehearsal of the same steps with a tiny model and 32 questions (about a minute).
cd "$(dirname "$0")/../.."
export TIKTOKEN_CACHE_DIR=$PWD/data/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
model="--n_layer 6 --n_head 6 --n_embd 384"
size="--batch_size 32 --micro_batch_size 32 --eval_batch_size 300"
curriculum="--max_latent_stage 6 --stage0_epochs 8 --epochs_per_stage 1 --epochs 16"
limit=""
limit_valid=""
if [ -n "${SMOKE:-}" ]; then
  model="--n_layer 2 --n_head 2 --n_embd 32"
  size="--batch_size 8 --micro_batch_size 8 --eval_batch_size 16
    --limit_train 32 --limit_valid 16 --max_new_tokens 64"
  curriculum="--max_latent_stage 2 --stage0_epochs 1 --epochs_per_stage 1 --epochs 4"
  limit="--limit 16"
  limit_valid="--limit_valid 16 --max_new_tokens 64"
fi
# First a CoT model on the small ProsQA (25,000 questions generated here, about 10 s), where the
# lookup of a fact forms within one epoch; both full-ProsQA runs start from its last.pt.
mini_epochs=4
[ -n "${SMOKE:-}" ] && mini_epochs=1
small="--n_nodes 12 --min_steps 2 --max_steps 4"
mini=data/prosqa-mini
mkdir -p $mini
python3 data.py generate-prosqa --n 25000 --seed 3 $small --out $mini/train25k.json > runs/p-mini.log 2>&1
python3 data.py generate-prosqa --n 500 --seed 2 $small --out $mini/valid.json >> runs/p-mini.log 2>&1
# full-ProsQA questions whose distractor is as deep below the people as the answer: a model that
# answers by the options' depth instead of searching is at chance there (data.py, choice 9)
python3 data.py generate-prosqa --n 300 --seed 40 --match_distractor --out data/prosqa-matched.json >> runs/p-mini.log 2>&1
train="--seed 0 --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --log_interval 100 $size"
python3 train.py --dataset prosqa --method cot --init scratch --prev_tokens 6 $model $train \
  --epochs $mini_epochs --train_file $mini/train25k.json --valid_file $mini/valid.json \
  --out_dir out/p-mini >> runs/p-mini.log 2>&1
echo "exit $?" >> runs/p-mini.log
common="--dataset prosqa --init out/p-mini/last.pt $train"
( python3 train.py $common --method coconut $curriculum --out_dir out/p-coconut > runs/p-coconut.log 2>&1
  echo "exit $?" >> runs/p-coconut.log
  python3 analysis.py --ckpt out/p-coconut/best.pt --valid_file data/prosqa/prosqa_valid.json $limit \
    --out_dir runs/p-analysis > runs/p-analysis.log 2>&1
  echo "exit $?" >> runs/p-analysis.log
  for run in p-coconut p-cot; do  # CoT's best so far: it is still training
    python3 train.py --eval_only --ckpt out/$run/best.pt --valid_file data/prosqa-matched.json \
      $limit_valid >> runs/p-matched.log 2>&1
  done
  echo "exit $?" >> runs/p-matched.log ) &
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
