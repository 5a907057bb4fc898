#!/usr/bin/env bash
# The preview goes on with questions it has not seen (2026-12-05): run.sh's last.pt (564 steps on the
# first 6,000 training questions, 52.0%) trained one epoch on questions 6,000-11,942 (b), then from
# that one epoch on questions 11,943-17,885 (c), the settings of run.sh. Each part is a new run
# (--init: fresh AdamW state, so 20 warm-up steps instead of 200). Together with run.sh this is
# every training question once plus the first 6,000 twice more.
# From the repository root, after run.sh:
#   bash results/2026-12-04-cpu-lease-phase2-preview/run2.sh > logs/cpu-p-cot-preview2.log 2>&1
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
mkdir -p data/prosqa-preview-rest
python - <<'PY'
import json
items = json.load(open("data/prosqa/prosqa_train.json"))
assert len(items) == 17886, len(items)
json.dump(items[6000:11943], open("data/prosqa-preview-rest/train_b.json", "w"))
json.dump(items[11943:], open("data/prosqa-preview-rest/train_c.json", "w"))
PY
prev=out/cpu-p-cot-preview/last.pt
for part in b c; do
  OMP_NUM_THREADS=2 python train.py --dataset prosqa --method cot --init $prev \
    --train_file data/prosqa-preview-rest/train_$part.json \
    --seed 0 --lr 1e-3 --warmup_steps 20 --grad_clip 1.0 --log_interval 50 \
    --batch_size 32 --micro_batch_size 32 --eval_batch_size 300 \
    --epochs 1 --out_dir out/cpu-p-cot-preview-$part || exit 1
  prev=out/cpu-p-cot-preview-$part/last.pt
done
