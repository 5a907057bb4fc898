#!/usr/bin/env bash
# Background work of one GPU lease (session #7): two small-model Coconut runs on ProsQA from scratch,
# side by side, each with a long CoT stage (CPU probes: CoT turns only after ~100k questions seen).
cd "$(dirname "$0")/.."
export TIKTOKEN_CACHE_DIR=$PWD/.carry/tiktoken_cache PYTHONUNBUFFERED=1
mkdir -p runs
small="--n_layer 6 --n_head 6 --n_embd 384"
common="--dataset prosqa --method coconut --init scratch --seed 0 $small --lr 1e-3 --warmup_steps 200 --grad_clip 1.0 --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 --max_latent_stage 6 --epochs_per_stage 1 --log_interval 500"
# s1: the 17,886 questions of the shared train file; 12 CoT epochs (215k questions seen), 1 epoch per latent stage
( python3 train.py $common --stage0_epochs 12 --epochs 20 --out_dir out/s1 > runs/s1.log 2>&1; echo "exit $?" >> runs/s1.log
  python3 analysis.py --ckpt out/s1/best.pt --out_dir runs/s1-analysis > runs/s1-analysis.log 2>&1; echo "exit $?" >> runs/s1-analysis.log
  python3 sample.py --ckpt out/s1/best.pt --index 0 > runs/s1-sample.log 2>&1; touch runs/S1_DONE ) &
# s2: 40,000 generated questions (seed 7, labelled as such); 5 CoT epochs (200k seen), 1 epoch per latent stage
( [ -f data/prosqa/gen40k.json ] || python3 data.py generate-prosqa --n 40000 --seed 7 --out data/prosqa/gen40k.json > runs/gen.log 2>&1
  python3 train.py $common --train_file data/prosqa/gen40k.json --stage0_epochs 5 --epochs 12 --out_dir out/s2 > runs/s2.log 2>&1; echo "exit $?" >> runs/s2.log; touch runs/S2_DONE ) &
wait
touch runs/ALL_DONE
