#!/usr/bin/env bash
# The lease's full-ProsQA CoT run, previewed further on the CPU (2026-12-05): from run2.sh's last
# checkpoint (936 steps of 32, every training question seen at least once, 43.7%), one more pass
# over all 17,886 training questions, in two halves (d: questions 0-8,942, e: 8,943-17,885) so that
# validation is measured half-way. The settings of gpu.sh's CoT run (lr 1e-3, batch 32, clipping
# at 1); each half is a new run (--init: fresh AdamW state, so 20 warm-up steps instead of 200), as
# in run2.sh. After it the model has had about 1,495 steps, 2.7 of the lease's CoT epochs.
# From the repository root, after results/2026-12-04-cpu-lease-phase2-preview/run2.sh:
#   bash results/2026-12-05-cpu-lease-phase2-more/run3.sh > logs/cpu-p-cot-preview3.log 2>&1
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
mkdir -p data/prosqa-preview-rest
python - <<'PY'
import json
items = json.load(open("data/prosqa/prosqa_train.json"))
assert len(items) == 17886, len(items)
json.dump(items[:8943], open("data/prosqa-preview-rest/train_d.json", "w"))
json.dump(items[8943:], open("data/prosqa-preview-rest/train_e.json", "w"))
PY
prev=out/cpu-p-cot-preview-c/last.pt
for part in d e; do
  OMP_NUM_THREADS=2 python train.py --dataset prosqa --method cot --init $prev \
    --train_file data/prosqa-preview-rest/train_$part.json \
    --seed 0 --lr 1e-3 --warmup_steps 20 --grad_clip 1.0 --log_interval 50 \
    --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 \
    --epochs 1 --out_dir out/cpu-p-cot-preview-$part || exit 1
  prev=out/cpu-p-cot-preview-$part/last.pt
done
