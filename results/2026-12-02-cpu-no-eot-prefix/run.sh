#!/bin/bash
# The recipe of ../2026-12-02-cpu-no-eot-long/ (--no_eot --uniform_prob 1.0 after a CoT model and
# one epoch each of stages 0 and 1), on the hops data with every step beginning " then".
# Same commands as ../2026-12-02-cpu-no-eot/ steps 0, 1 (B), 2 (B) and 5, other data and out_dirs.
set -e
S=${SEED:-0}                               # SEED=1 bash run.sh: every stage with --seed 1
O=out/then$([ "$S" = 0 ] || echo "-seed$S")  # out/then-*, or out/then-seed1-*
T="--train_file data/hops-then/train.json --valid_file data/hops-then/valid.json"
H="--dataset prosqa $T --init scratch --prev_tokens 6 --n_layer 2 --n_head 4 --n_embd 128 --lr 1e-3
   --warmup_steps 100 --grad_clip 1 --seed $S --max_latent_stage 4"
[ -f $O-cot32/epoch2.pt ] || python train.py $H --method cot --batch_size 32 --epochs 3 --log_interval 200 --keep_epochs --out_dir $O-cot32
C="--dataset prosqa $T --init $O-cot32/epoch2.pt --stage0_epochs 1 --epochs_per_stage 1 --max_latent_stage 4
   --epochs 1 --batch_size 32 --lr 1e-4 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs"
[ -f $O-B-s0/epoch0.pt ] || python train.py $C --no_eot --out_dir $O-B-s0
S1="--dataset prosqa $T --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 4 --epochs 1 --batch_size 32 --lr 1e-3
    --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs"
[ -f $O-B-s1/epoch0.pt ] || python train.py $S1 --no_eot --init $O-B-s0/epoch0.pt --out_dir $O-B-s1
M1="--dataset prosqa $T --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 4 --epochs ${EPOCHS:-12} --batch_size 32
    --lr 1e-4 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs --uniform_prob 1.0"
python train.py $M1 --no_eot --init $O-B-s1/epoch0.pt --out_dir $O-Ball $([ -f $O-Ball/last.pt ] && echo --resume)
