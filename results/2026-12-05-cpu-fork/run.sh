#!/bin/bash
# The fork toy (README in this folder): data, CoT, No-CoT, then Coconut, pause-as-thought and
# w/o curriculum from the CoT model after epoch 1; then stage 1 held longer (Coconut, pause) and a
# 4-layer CoT (the README's last section). One thread per run, two or three side by side.
# Resumable: each train.py run continues from its last.pt when started again.
set -e
cd "$(dirname "$0")/../.."
D=results/2026-12-05-cpu-fork
mkdir -p logs
python $D/make_fork.py --n 20000 --seed 0 --out data/fork/train.json
python $D/make_fork.py --n 500 --seed 1 --out data/fork/valid.json
COMMON="--dataset prosqa --train_file data/fork/train.json --valid_file data/fork/valid.json --max_latent_stage 4
  --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed 0 --keep_epochs
  --max_new_tokens 48 --device cpu"
H="$COMMON --init scratch --prev_tokens 6 --n_layer 2 --n_head 4 --n_embd 128"
case "$RUN" in
  cot)    OMP_NUM_THREADS=1 python train.py $H --method cot --epochs 8 --out_dir out/fork-cot ;;  # stopped in epoch 4
  no-cot) OMP_NUM_THREADS=1 python train.py $H --method no-cot --epochs 8 --out_dir out/fork-no-cot ;;
  # from the CoT model after epoch 1 (it reads every arrow; its branch at r is a coin toss)
  coconut) OMP_NUM_THREADS=1 python train.py $COMMON --init out/fork-cot/epoch1.pt --stage0_epochs 0 --epochs_per_stage 2 \
             --method coconut --epochs ${EPOCHS:-10} --out_dir out/fork-coconut ;;  # then EPOCHS=28: 18 more epochs
  pause-as-thought) OMP_NUM_THREADS=1 python train.py $COMMON --init out/fork-cot/epoch1.pt --stage0_epochs 0 \
             --epochs_per_stage 2 --method pause-as-thought --epochs 10 --out_dir out/fork-pat ;;
  no-curriculum) OMP_NUM_THREADS=1 python train.py $COMMON --init out/fork-cot/epoch1.pt --method no-curriculum \
             --epochs ${EPOCHS:-6} --out_dir out/fork-nocurr ;;  # then EPOCHS=20: 14 more epochs
  # held at stage 1 (one thought or pause in place of the first arrow, the choice) for more
  # epochs, from the models above after their two stage-1 epochs (optimizer and warm-up restart)
  coconut-stage1) OMP_NUM_THREADS=1 python train.py $COMMON --init out/fork-coconut/epoch1.pt --stage0_epochs 0 \
             --epochs_per_stage 100 --method coconut --epochs ${EPOCHS:-8} --out_dir out/fork-coconut-s1 ;;
  pause-stage1) OMP_NUM_THREADS=1 python train.py $COMMON --init out/fork-pat/epoch1.pt --stage0_epochs 0 \
             --epochs_per_stage 100 --method pause-as-thought --epochs ${EPOCHS:-8} --out_dir out/fork-pat-s1 ;;
  # CoT with 4 layers: depth for the lookups back from the options before the first arrow
  cot-4layer) OMP_NUM_THREADS=1 python train.py $COMMON --init scratch --prev_tokens 6 --n_layer 4 --n_head 4 \
             --n_embd 128 --method cot --epochs ${EPOCHS:-6} --out_dir out/fork-cot4 ;;
  *) echo "RUN=cot|no-cot|coconut|pause-as-thought|no-curriculum|coconut-stage1|pause-stage1|cot-4layer bash $0" >&2
     exit 2 ;;
esac
