#!/bin/bash
# The fork toy with short forks mixed in (README in this folder): training questions of depth 1 to
# 4 (a quarter each), validation on depth 4 (the fork folder's file) and, for the diagnostics, on
# depths 1 to 3; then depths 1 and 2 only (20,000 questions, then 100,000 seen once each); then
# Coconut, pause-as-thought and No-CoT from the model that chooses at depth 2 (2 layers, then 4);
# then CoT on depths 1-3 (and 2-3; and 4 layers).
# One thread per run, two side by side. Resumable: train.py continues from last.pt.
set -e
cd "$(dirname "$0")/../.."
F=results/2026-12-05-cpu-fork
mkdir -p logs
python $F/make_fork.py --n 500 --seed 1 --out data/fork/valid.json  # depth 4, as in the fork folder
python $F/make_fork.py --n 20000 --seed 2 --depth 1 2 3 4 --out data/fork-mix/train.json
python $F/make_fork.py --n 20000 --seed 6 --depth 1 2 --out data/fork-12/train.json
for d in 1 2 3; do python $F/make_fork.py --n 500 --seed $((2 + d)) --depth $d --out data/fork-mix/valid-d$d.json; done
COMMON="--dataset prosqa --train_file data/fork-mix/train.json --valid_file data/fork/valid.json --max_latent_stage 4
  --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100 --seed 0 --keep_epochs
  --max_new_tokens 48 --device cpu"
H="$COMMON --init scratch --prev_tokens 6 --n_layer 2 --n_head 4 --n_embd 128"
case "$RUN" in
  cot)    OMP_NUM_THREADS=1 python train.py $H --method cot --epochs ${EPOCHS:-8} --out_dir out/forkmix-cot ;;
  no-cot) OMP_NUM_THREADS=1 python train.py $H --method no-cot --epochs ${EPOCHS:-8} --out_dir out/forkmix-no-cot ;;
  # from the CoT model after epoch 5 (it chooses at depth 1, tosses a coin at depths 2 to 4)
  coconut) OMP_NUM_THREADS=1 python train.py $COMMON --init out/forkmix-cot/epoch5.pt --stage0_epochs 0 \
             --epochs_per_stage 2 --method coconut --epochs ${EPOCHS:-10} --out_dir out/forkmix-coconut ;;
  pause-as-thought) OMP_NUM_THREADS=1 python train.py $COMMON --init out/forkmix-cot/epoch5.pt --stage0_epochs 0 \
             --epochs_per_stage 2 --method pause-as-thought --epochs ${EPOCHS:-10} --out_dir out/forkmix-pat ;;
  # only depths 1 and 2 (half each), selected on depth 2: from the CoT model above after epoch 5
  # (2 layers; it chooses at depth 1), and a 4-layer CoT from scratch
  cot-d12) OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train.json \
             --valid_file data/fork-mix/valid-d2.json --init out/forkmix-cot/epoch5.pt --method cot \
             --epochs ${EPOCHS:-8} --out_dir out/fork12-cot ;;
  cot4-d12) OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train.json \
             --valid_file data/fork-mix/valid-d2.json --init scratch --prev_tokens 6 --n_layer 4 --n_head 4 \
             --n_embd 128 --method cot --epochs ${EPOCHS:-8} --out_dir out/fork12-cot4 ;;
  # the same two models after epoch 7, on 100,000 new questions of depths 1 and 2: no question seen twice
  cot-d12-fresh) python $F/make_fork.py --n 100000 --seed 7 --depth 1 2 --out data/fork-12/train100k.json
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train100k.json \
             --valid_file data/fork-mix/valid-d2.json --init out/fork12-cot/epoch7.pt --method cot \
             --epochs ${EPOCHS:-2} --out_dir out/fork12-cot-fresh ;;
  cot4-d12-fresh) python $F/make_fork.py --n 100000 --seed 7 --depth 1 2 --out data/fork-12/train100k.json
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train100k.json \
             --valid_file data/fork-mix/valid-d2.json --init out/fork12-cot4/epoch7.pt --method cot \
             --epochs ${EPOCHS:-2} --out_dir out/fork12-cot4-fresh ;;
  # the control: the 2-layer model after epoch 7 for 5 more epochs (3,125 steps) on its 20,000 questions
  cot-d12-more) OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train.json \
             --valid_file data/fork-mix/valid-d2.json --init out/fork12-cot/epoch7.pt --method cot \
             --epochs ${EPOCHS:-5} --out_dir out/fork12-cot-more ;;
  # Coconut and pause-as-thought on depths 1 and 2 from the 2-layer model that chooses at depth 2
  # (out/fork12-cot-fresh/epoch1.pt): stages 1 and 2, then the final stage, two epochs each
  # (EPOCHS=16: ten more of the final stage); SEED=1 for a second run (out_dir ...-s1). The depth
  # test: the same from the 4-layer CoT model that chooses at depth 2 (out/fork12-cot4-fresh/
  # epoch0.pt, 91.6%), 16 epochs by default
  coconut-d12|pause-d12|coconut4-d12|pause4-d12)
             M=coconut; case "$RUN" in pause*) M=pause-as-thought ;; esac
             INIT=out/fork12-cot-fresh/epoch1.pt; E=6
             case "$RUN" in *4-d12) INIT=out/fork12-cot4-fresh/epoch0.pt; E=16 ;; esac
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train.json \
             --valid_file data/fork-mix/valid-d2.json --init $INIT --max_latent_stage 2 \
             --stage0_epochs 0 --epochs_per_stage 2 --method $M --epochs ${EPOCHS:-$E} --seed ${SEED:-0} \
             --out_dir out/fork12-$RUN${SEED:+-s$SEED} ;;
  # the control: No-CoT (the answer right after the question) from the same starts, 16 epochs
  no-cot-d12|no-cot4-d12)
             INIT=out/fork12-cot-fresh/epoch1.pt
             [ "$RUN" = no-cot4-d12 ] && INIT=out/fork12-cot4-fresh/epoch0.pt
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-12/train.json \
             --valid_file data/fork-mix/valid-d2.json --init $INIT --method no-cot \
             --epochs ${EPOCHS:-16} --out_dir out/fork12-$RUN ;;
  # CoT on depths 1 to 3 (100,000 new questions, a third each), from the same start, selected on depth 3
  cot-d123) python $F/make_fork.py --n 100000 --seed 8 --depth 1 2 3 --out data/fork-123/train100k.json
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-123/train100k.json \
             --valid_file data/fork-mix/valid-d3.json --init out/fork12-cot-fresh/epoch1.pt --method cot \
             --epochs ${EPOCHS:-2} --out_dir out/fork123-cot ;;
  # depth 3 again: the 2-layer model after its four passes over depths 1 to 3, on 100,000 new
  # questions of depths 2 and 3 (half each); and the 4-layer start on the depths 1 to 3 questions
  cot-d23) python $F/make_fork.py --n 100000 --seed 9 --depth 2 3 --out data/fork-23/train100k.json
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-23/train100k.json \
             --valid_file data/fork-mix/valid-d3.json --init out/fork123-cot/epoch3.pt --method cot \
             --epochs ${EPOCHS:-2} --out_dir out/fork23-cot ;;
  cot4-d123) python $F/make_fork.py --n 100000 --seed 8 --depth 1 2 3 --out data/fork-123/train100k.json
             OMP_NUM_THREADS=1 python train.py $COMMON --train_file data/fork-123/train100k.json \
             --valid_file data/fork-mix/valid-d3.json --init out/fork12-cot4-fresh/epoch0.pt --method cot \
             --epochs ${EPOCHS:-2} --out_dir out/fork123-cot4 ;;
  *) echo "RUN=cot|no-cot|coconut|pause-as-thought|cot-d12|cot4-d12|cot-d12-fresh|cot4-d12-fresh|" >&2
     echo "  cot-d12-more|coconut-d12|pause-d12|no-cot-d12|coconut4-d12|pause4-d12|no-cot4-d12|" >&2
     echo "  cot-d123|cot-d23|cot4-d123 bash $0" >&2
     exit 2 ;;
esac
