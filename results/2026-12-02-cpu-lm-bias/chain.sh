#!/usr/bin/env bash
# The hops pipeline of ../2026-12-01-cpu-hops/ with a bias on the LM head (lm_bias.py): CoT until it
# answers >= 99% (running before this script), then Coconut's stage 1 for one epoch (lr 1e-3, the
# reference run's flags), then stage 2 on merged steps for 5 epochs at lr 1e-4. One thread each.
# (2026-12-02: the stage-2 run was stopped in its first epoch, since stage 1 had not been learned.)
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 TIKTOKEN_CACHE_DIR=${TIKTOKEN_CACHE_DIR:-$PWD/data/tiktoken_cache}
D=results/2026-12-02-cpu-lm-bias
until python3 -c "import json,sys; h=[json.loads(l) for l in open('out/hops-cot32-bias/metrics.jsonl')]; sys.exit(0 if h and h[-1]['val_acc'] >= 0.99 else 1)" 2>/dev/null; do sleep 30; done
e=$(python3 -c "import json; print(len(open('out/hops-cot32-bias/metrics.jsonl').readlines()) - 1)")
cp out/hops-cot32-bias/last.pt out/hops-cot32-bias/epoch$e.pt; pkill -f "out_dir out/hops-cot32-bias"
C="--dataset prosqa --train_file data/hops/train.json --valid_file data/hops/valid.json --init out/hops-cot32-bias/epoch$e.pt
   --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 4 --epochs 6 --batch_size 32 --lr 1e-3 --warmup_steps 100
   --grad_clip 1 --log_interval 100 --seed 0"
python3 $D/lm_bias.py $C --method coconut --out_dir out/hops-coconut-bias > out/hops-coconut-bias.log 2>&1 &
until [ -f out/hops-coconut-bias/metrics.jsonl ]; do sleep 20; done
cp out/hops-coconut-bias/last.pt out/hops-coconut-bias/epoch0.pt; pkill -f "out_dir out/hops-coconut-bias"
S="--dataset prosqa --train_file data/hops/train_s2.json --valid_file data/hops/valid_s2.json --c_thought 2
   --max_latent_stage 1 --stage0_epochs 0 --epochs_per_stage 5 --epochs 5 --batch_size 32 --warmup_steps 100
   --grad_clip 1 --log_interval 100 --seed 0"
python3 $D/lm_bias.py $S --lr 1e-4 --method coconut --init out/hops-coconut-bias/epoch0.pt --out_dir out/hops-s2-coconut-bias-lr1e-4 > out/hops-s2-coconut-bias-lr1e-4.log 2>&1
