#!/bin/bash
# Coconut (paper curriculum, one epoch of 6,000 questions per stage), a CoT control and
# pause-as-thought (the same curriculum, <pause> tokens in the thought slots), all from the best CPU
# CoT model on the full ProsQA (out/full-cot-from-mini/epoch4.pt, 64.0%), at lr 1e-4 (the runs from
# its epoch 3 used 1e-3), batch 8, one thread each, two side by side.
# RUN=coconut, RUN=cot or RUN=pause-as-thought; a killed run continues from its last.pt when
# started again.
set -e
export OMP_NUM_THREADS=1
C="--dataset prosqa --seed 0 --init out/full-cot-from-mini/epoch4.pt --train_file data/prosqa/prosqa_train.json
   --valid_file data/prosqa/prosqa_valid.json --limit_train 6000 --batch_size 8 --warmup_steps 200 --grad_clip 1
   --log_interval 100 --lr 1e-4 --keep_epochs"
case $RUN in
  coconut) python train.py $C --method coconut --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 6 \
               --epochs 9 --out_dir out/e4-coco ;;
  pause-as-thought) python train.py $C --method pause-as-thought --stage0_epochs 0 --epochs_per_stage 1 \
               --max_latent_stage 6 --epochs 9 --out_dir out/e4-pat ;;
  cot) python train.py $C --method cot --epochs 6 --out_dir out/e4-cot ;;
  *) echo "RUN must be coconut, cot or pause-as-thought" >&2; exit 2 ;;
esac
