#!/bin/bash
# Two guesses about where the fork toy's depth-by-depth Coconut curriculum stopped (README in this
# folder), with the settings of ../2026-12-05-cpu-fork-depth5/ (batch 32, lr 1e-3, 20,000
# questions, one epoch per stage, then the final stage):
#   coconut-d4-5t: the start that stayed at chance at depth 4 (the depth3 folder's seed-1 line,
#     whose first thought reads as `###`), on depths 1 to 4 again but with five thoughts in the
#     final stage (--max_latent_stage 5) instead of four: is it one thought short?
#   coconut-d5-6l: depth 5 from the 4-layer model that answers depth 4 (90.8%), grown to 6 layers
#     by two blocks that start as the identity (grow.py), as the depth5 folder's coconut-d5 (4
#     layers, chance at depth 5): can more layers per pass take the frontier a level further?
# One thread per run, two side by side. Resumable: train.py continues from last.pt.
set -e
cd "$(dirname "$0")/../.."
F=results/2026-12-05-cpu-fork
G=results/2026-12-06-cpu-fork-grow
mkdir -p logs
COMMON="--dataset prosqa --stage0_epochs 0 --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1
  --log_interval 100 --keep_epochs --max_new_tokens 48 --device cpu --method coconut --epochs_per_stage 1"
case "$RUN" in
  coconut-d4-5t)
    python $F/make_fork.py --n 20000 --seed 11 --depth 1 2 3 4 --out data/fork-1234/train.json
    OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-1234/train.json \
      --valid_file data/fork/valid.json --max_latent_stage 5 \
      --init out/fork123-coconut-from-latent-s1/best.pt --epochs ${EPOCHS:-12} --seed ${SEED:-0} \
      --out_dir out/fork1234-coconut-d4-s1-5t${SEED:+-s$SEED} ;;
  coconut-d5-6l)
    python $F/make_fork.py --n 20000 --seed 12 --depth 1 2 3 4 5 --out data/fork-12345/train.json
    python $F/make_fork.py --n 500 --seed 7 --depth 5 --out data/fork-mix/valid-d5.json
    [ -f out/fork1234-coconut-d4-6l.pt ] ||
      python $G/grow.py out/fork1234-coconut-d4/best.pt 2 out/fork1234-coconut-d4-6l.pt
    OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12345/train.json \
      --valid_file data/fork-mix/valid-d5.json --max_latent_stage 5 \
      --init out/fork1234-coconut-d4-6l.pt --epochs ${EPOCHS:-14} --seed ${SEED:-0} \
      --out_dir out/fork12345-coconut-d5-6l${SEED:+-s$SEED} ;;
  *) echo "RUN=coconut-d4-5t|coconut-d5-6l bash $0" >&2
     echo "  (SEED=n: another train seed; EPOCHS=n: train on to epoch n - 1)" >&2
     exit 2 ;;
esac
