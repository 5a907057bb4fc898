#!/bin/bash
# The fork toy past depth 4, and the controls at depth 4 (README in this folder). Every run starts
# from a Coconut model of ../2026-12-05-cpu-fork-depth3/ and uses its settings (4 layers, batch 32,
# lr 1e-3, 20,000 questions, one epoch per stage, then the final stage):
#   no-cot-d4, pause-d4: No-CoT and pause-as-thought on depths 1 to 4, from the same depth-3 model
#     (seed 0's line, best.pt) as that folder's coconut-d4, with the same data and epochs
#   coconut-d5: Coconut on depths 1 to 5 from that depth-4 model (best.pt), one epoch per stage up
#     to five thoughts, then the final stage; selected on 500 depth-5 questions
#   coconut-d5-slow: the same with two epochs per stage (epochs 0 to 9), then the final stage
#   coconut-d4-again: the depth3 folder's coconut-d4-s1 (chance at depth 4) again with train seed 1
# One thread per run, two side by side. Resumable: train.py continues from last.pt.
set -e
cd "$(dirname "$0")/../.."
F=results/2026-12-05-cpu-fork
mkdir -p logs
COMMON="--dataset prosqa --stage0_epochs 0 --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1
  --log_interval 100 --keep_epochs --max_new_tokens 48 --device cpu"
case "$RUN" in
  no-cot-d4|pause-d4|coconut-d4-again)
    M=no-cot INIT=out/fork123-coconut-from-latent/best.pt OUT=out/fork1234-$RUN${SEED:+-s$SEED}
    if [ $RUN = pause-d4 ]; then M=pause-as-thought; fi
    if [ $RUN = coconut-d4-again ]; then  # seed 1's depth-3 model, train seed 1 unless SEED is set
      M=coconut INIT=out/fork123-coconut-from-latent-s1/best.pt SEED=${SEED:-1}
      OUT=out/fork1234-coconut-d4-s1-seed$SEED
    fi
    python $F/make_fork.py --n 20000 --seed 11 --depth 1 2 3 4 --out data/fork-1234/train.json
    OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-1234/train.json \
      --valid_file data/fork/valid.json --max_latent_stage 4 --epochs_per_stage 1 \
      --init $INIT --method $M --epochs ${EPOCHS:-12} --seed ${SEED:-0} --out_dir $OUT ;;
  coconut-d5|coconut-d5-slow)
    EPS=1; if [ $RUN = coconut-d5-slow ]; then EPS=2; fi
    python $F/make_fork.py --n 20000 --seed 12 --depth 1 2 3 4 5 --out data/fork-12345/train.json
    python $F/make_fork.py --n 500 --seed 7 --depth 5 --out data/fork-mix/valid-d5.json
    OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12345/train.json \
      --valid_file data/fork-mix/valid-d5.json --max_latent_stage 5 --epochs_per_stage $EPS \
      --init out/fork1234-coconut-d4/best.pt --method coconut --epochs ${EPOCHS:-14} \
      --seed ${SEED:-0} --out_dir out/fork12345-$RUN${SEED:+-s$SEED} ;;
  *) echo "RUN=no-cot-d4|pause-d4|coconut-d4-again|coconut-d5|coconut-d5-slow bash $0" >&2
     echo "  (SEED=n: another train seed; EPOCHS=n: train on to epoch n - 1)" >&2
     exit 2 ;;
esac
