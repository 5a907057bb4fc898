#!/bin/bash
# The recipe of ../2026-12-02-cpu-no-eot-prefix/run.sh (hops data with every step beginning " then",
# --no_eot --uniform_prob 1.0 after a CoT model and one epoch each of stages 0 and 1), with
# lookahead.py's extra loss (L tokens) on stage 1 and the mixed epochs. Both start from that
# folder's stage-0 checkpoint for the seed (out/then-B-s0 for seed 0, out/then-seedS-B-s0 for
# seed S, no look-ahead; made here with its commands when missing), so the run differs from that
# folder's stage 1 and mixed epochs by the extra loss alone.
set -e
S=${SEED:-0}; L=${L:-1}; A=${ADDED:+--added}  # ADDED=1: the first try's weighting
A="$A ${SKIP_ANSWER:+--skip_answer}"  # SKIP_ANSWER=1: no look-ahead past "###", from stage 1 on
D=results/2026-12-03-cpu-lookahead
O=out/la$L${ADDED:+a}${SKIP_ANSWER:+sa}-seed$S
T="--train_file data/hops-then/train.json --valid_file data/hops-then/valid.json"
H="--dataset prosqa $T --init scratch --prev_tokens 6 --n_layer 2 --n_head 4 --n_embd 128 --lr 1e-3
   --warmup_steps 100 --grad_clip 1 --seed $S --max_latent_stage 4"
C="--dataset prosqa $T --stage0_epochs 1 --epochs_per_stage 1 --max_latent_stage 4
   --epochs 1 --batch_size 32 --lr 1e-4 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs"
P=out/then$([ "$S" = 0 ] || echo "-seed$S")  # the folder before's out_dirs for this seed
if [ ! -f $P-B-s0/epoch0.pt ]; then  # its CoT model and stage 0 (no look-ahead), its commands
  [ -f $P-cot32/epoch2.pt ] || python train.py $H --method cot --batch_size 32 --epochs 3 --log_interval 200 --keep_epochs --out_dir $P-cot32
  python train.py $C --no_eot --init $P-cot32/epoch2.pt --out_dir $P-B-s0
fi
S0=$P-B-s0/epoch0.pt
S1="--dataset prosqa $T --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 4 --epochs 1 --batch_size 32 --lr 1e-3
    --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs"
[ -f $O-s1/epoch0.pt ] || python $D/lookahead.py $L $A $S1 --no_eot --init $S0 --out_dir $O-s1
M1="--dataset prosqa $T --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 4 --epochs ${EPOCHS:-12} --batch_size 32
    --lr 1e-4 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed $S --method coconut --keep_epochs --uniform_prob 1.0"
python $D/lookahead.py $L $A $M1 --no_eot --init $O-s1/epoch0.pt --out_dir $O-all $([ -f $O-all/last.pt ] && echo --resume)
