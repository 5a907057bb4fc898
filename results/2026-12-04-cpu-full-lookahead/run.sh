#!/bin/bash
# The toy's recipe (../2026-12-03-cpu-lookahead/) on the full ProsQA: from the CoT model that reads
# the graph (out/full-cot-from-mini/epoch3.pt, 56.3%), every stage in every epoch
# (--uniform_prob 1.0), lr 1e-4, on the first 6,000 questions, batch 8, one thread each.
#   A: --no_eot and lookahead.py's loss (L = 1, --skip_answer): the last thought slot predicts
#      "Every" and the first token of the next step's concept.
#   B: the control, the paper's layout (<eot>, no look-ahead), mixed the same way.
# RUN=A or RUN=B; EPOCHS (default 12); resumes from out/fla-$RUN/last.pt when it exists.
set -e
export OMP_NUM_THREADS=1
C="--dataset prosqa --seed 0 --init out/full-cot-from-mini/epoch3.pt --train_file data/prosqa/prosqa_train.json
   --valid_file data/prosqa/prosqa_valid.json --limit_train 6000 --batch_size 8 --warmup_steps 200 --grad_clip 1
   --log_interval 100 --lr 1e-4 --method coconut --stage0_epochs 0 --epochs_per_stage 1 --max_latent_stage 6
   --epochs ${EPOCHS:-12} --keep_epochs --uniform_prob 1.0 --out_dir out/fla-$RUN"
R=$([ -f out/fla-$RUN/last.pt ] && echo --resume || true)
case $RUN in
  A) python results/2026-12-03-cpu-lookahead/lookahead.py 1 --skip_answer $C --no_eot $R ;;
  B) python train.py $C $R ;;
  *) echo "RUN must be A or B" >&2; exit 2 ;;
esac
