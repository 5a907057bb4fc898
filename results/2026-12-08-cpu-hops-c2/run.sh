#!/usr/bin/env bash
# The hops toy (../2026-12-01-cpu-hops/) with two thoughts a hop (--c_thought 2) against one.
#   RUN=data bash results/2026-12-08-cpu-hops-c2/run.sh       # data/hops: 20,000 + 500 questions
#   RUN=cot bash results/2026-12-08-cpu-hops-c2/run.sh        # out/hops-cot: CoT, 3 epochs
#   RUN=s1 ARM=c1 bash results/2026-12-08-cpu-hops-c2/run.sh  # stage 1: the first hop as thoughts
#       (one epoch; not train.py's final stage, so no best.pt: stage 2 starts from its epoch0.pt)
#   RUN=s2 ARM=c1 bash results/2026-12-08-cpu-hops-c2/run.sh  # stage 2: the first two hops
# ARM=c1: one thought a hop (the 2026-12-01 runs), ARM=c2: two. Stage 2 is stage 1 of the files
# whose first two steps are merged into one (the hops folder's merge_first_steps.py), so that it
# lasts EPOCHS epochs (default 8) at lr 1e-4, as the hops folder's stage-2 runs. THREADS=1 by
# default; killed and started again, a run continues from its last.pt.
set -euo pipefail
cd "$(dirname "$0")/../.."
H=results/2026-12-01-cpu-hops
d=data/hops
export OMP_NUM_THREADS=${THREADS:-1}
common="--dataset prosqa --valid_file $d/valid.json --batch_size 32 --warmup_steps 100 --grad_clip 1
    --seed 0 --keep_epochs"
need() { for f in "$@"; do [ -f $f ] || {
    echo "$f is missing: run the step before (usage: top of $0)" >&2; exit 1; }; done; }
c_of() { case "${ARM:?ARM=c1 or c2}" in c1) echo 1 ;; c2) echo 2 ;;
    *) echo "ARM=c1 or c2, not $ARM" >&2; exit 1 ;; esac; }
case "${RUN:?RUN=data, cot, s1 or s2}" in
    data) mkdir -p $d
        [ -f $d/train.json ] || python $H/make_hops.py --n 20000 --seed 0 --out $d/train.json
        [ -f $d/valid.json ] || python $H/make_hops.py --n 500 --seed 1 --out $d/valid.json
        python $H/merge_first_steps.py $d/train.json $d/train_s2.json
        python $H/merge_first_steps.py $d/valid.json $d/valid_s2.json ;;
    cot) need $d/train.json
        python train.py $common --train_file $d/train.json --init scratch --prev_tokens 6 --n_layer 2 \
            --n_head 4 --n_embd 128 --lr 1e-3 --method cot --epochs 3 --log_interval 200 \
            --out_dir out/hops-cot ;;
    s1) c=$(c_of); need out/hops-cot/best.pt
        python train.py $common --train_file $d/train.json --init out/hops-cot/best.pt --lr 1e-3 \
            --method coconut --c_thought $c --max_latent_stage 1 --stage0_epochs 0 --epochs_per_stage 1 \
            --epochs 1 --log_interval 100 --out_dir out/hops-s1-$ARM ;;
    s2) c=$(c_of); need out/hops-s1-$ARM/epoch0.pt $d/train_s2.json
        python train.py $common --train_file $d/train_s2.json --valid_file $d/valid_s2.json \
            --init out/hops-s1-$ARM/epoch0.pt --lr 1e-4 --method coconut --c_thought $((2 * c)) \
            --max_latent_stage 1 --stage0_epochs 0 --epochs_per_stage ${EPOCHS:-8} --epochs ${EPOCHS:-8} \
            --log_interval 100 --out_dir out/hops-s2-$ARM ;;
    *) echo "RUN=data, cot, s1 or s2, not $RUN" >&2; exit 1 ;;
esac
