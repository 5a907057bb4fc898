#!/bin/bash
# A learned stop head where the number of thoughts matters (README in this folder): from the fork
# toy's depth-4 Coconut model (../2026-12-05-cpu-fork-depth3/, out/fork1234-coconut-d4/best.pt:
# 99.6 / 96.4 / 93.8 / 90.8% at depths 1 to 4 with four thoughts for every question), the same
# curriculum and data again (one epoch per stage, stages 1 to 4, then the final stage) with
# --no_pad_latent (in the final stage a question of depth D gets D thoughts) and --stop_head;
# selected on 500 validation questions, 125 of each depth. Then every depth is evaluated with the
# head deciding and with a fixed 1 to 4 thoughts.
#   RUN=train [SEED=n] [EPOCHS=n]   train (resumable: train.py continues from last.pt)
#   RUN=eval [SEED=n] [CKPT=...]    the evaluations, printed
# The first runs (out/fork-stop, -s1) had a linear head (code of 059bbeb); out/fork-stop-mlp*
# the small MLP that coconut.py has since.
set -e
cd "$(dirname "$0")/../.."
OUT=${OUT:-out/fork-stop${SEED:+-s$SEED}}  # OUT=...: another folder (the MLP head's runs)
V="data/fork-mix/valid-d1.json data/fork-mix/valid-d2.json data/fork-mix/valid-d3.json data/fork/valid.json"
case "$RUN" in
  train)
    python - $V <<'PY'
import json, sys
mix = [q for path in sys.argv[1:] for q in json.load(open(path))[:125]]
json.dump(mix, open("data/fork-1234/valid-mix.json", "w"))
PY
    OMP_NUM_THREADS=1 python train.py --dataset prosqa --train_file data/fork-1234/train.json \
      --valid_file data/fork-1234/valid-mix.json --init out/fork1234-coconut-d4/best.pt \
      --method coconut --no_pad_latent --stop_head --max_latent_stage 4 --stage0_epochs 0 \
      --epochs_per_stage 1 --epochs ${EPOCHS:-8} --batch_size 32 --lr 1e-3 --warmup_steps 100 \
      --grad_clip 1 --log_interval 100 --keep_epochs --max_new_tokens 48 --seed ${SEED:-0} \
      --device cpu --out_dir $OUT ;;
  eval)
    CKPT=${CKPT:-$OUT/best.pt}
    for f in $V; do
      echo "== $CKPT on $f"
      OMP_NUM_THREADS=1 python train.py --eval_only --ckpt $CKPT --valid_file $f --device cpu | tail -1
      for k in 1 2 3 4; do
        OMP_NUM_THREADS=1 python train.py --eval_only --ckpt $CKPT --valid_file $f --fixed_thoughts \
          --n_latent $k --device cpu | tail -1
      done
    done ;;
  *) echo "RUN=train|eval [SEED=n] bash $0" >&2; exit 2 ;;
esac
