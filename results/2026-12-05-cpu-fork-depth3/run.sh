#!/bin/bash
# Depths 3 and 4 on the fork toy, as thoughts (README in this folder). Depth 3: Coconut on 20,000
# questions of depths 1 to 3 (a third each), three latent stages of two epochs each, then the
# final stage (three thoughts), selected on 500 depth-3 questions; from the 4-layer Coconut models
# that choose at depth 2 with two thoughts (../2026-12-05-cpu-fork-depths/, seeds 0 and 1), and,
# the paper's way, from the 4-layer CoT model they started from; the controls: No-CoT and
# pause-as-thought from the same starts. Depth 4: the last case, below.
# One thread per run, two side by side. Resumable: train.py continues from last.pt.
set -e
cd "$(dirname "$0")/../.."
F=results/2026-12-05-cpu-fork
mkdir -p logs
python $F/make_fork.py --n 20000 --seed 10 --depth 1 2 3 --out data/fork-123/train.json
COMMON="--dataset prosqa --train_file data/fork-123/train.json --valid_file data/fork-mix/valid-d3.json
  --max_latent_stage 3 --stage0_epochs 0 --epochs_per_stage 2 --batch_size 32 --lr 1e-3
  --warmup_steps 100 --grad_clip 1 --log_interval 100 --keep_epochs --max_new_tokens 48 --device cpu"
case "$RUN" in
  coconut-from-*|pause-from-*|no-cot-from-*)
    M=${RUN%%-from-*}
    if [ $M = pause ]; then M=pause-as-thought; fi
    case "$RUN" in
      *-from-latent) INIT=out/fork12-coconut4-d12/best.pt ;;
      *-from-latent-s1) INIT=out/fork12-coconut4-d12-s1/best.pt ;;
      *-from-cot) INIT=out/fork12-cot4-fresh/epoch0.pt ;;
      *) echo "unknown start in RUN=$RUN" >&2; exit 2 ;;
    esac
    OMP_NUM_THREADS=1 python train.py $COMMON --init $INIT --method $M --epochs ${EPOCHS:-16} \
      --seed ${SEED:-0} --out_dir out/fork123-$RUN${SEED:+-s$SEED} ;;
  # depth 4 next: Coconut on 20,000 questions of depths 1 to 4 from the two depth-3 Coconut models
  # (best.pt), one epoch per stage up to four thoughts, then the final stage; selected on the fork
  # folder's 500 depth-4 questions
  coconut-d4|coconut-d4-s1)
    S=; if [ "$RUN" = coconut-d4-s1 ]; then S=-s1; fi
    python $F/make_fork.py --n 20000 --seed 11 --depth 1 2 3 4 --out data/fork-1234/train.json
    OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-1234/train.json \
      --valid_file data/fork/valid.json --max_latent_stage 4 --epochs_per_stage 1 \
      --init out/fork123-coconut-from-latent$S/best.pt --method coconut --epochs ${EPOCHS:-12} \
      --seed 0 --out_dir out/fork1234-$RUN ;;
  *) echo "RUN=M-from-S bash $0: M coconut, pause or no-cot; S latent, latent-s1 or cot;" >&2
     echo "  or RUN=coconut-d4|coconut-d4-s1" >&2
     exit 2 ;;
esac
