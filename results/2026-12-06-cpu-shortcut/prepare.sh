#!/usr/bin/env bash
# Small-ProsQA questions on which the depth rule of shortcut.py is at chance (--match_distractor):
# 300 each of 2, 3 and 4 steps to evaluate on, and 8,000 to train on plus 300 to select on, a third
# of each depth (matching alone would give 91% 2-step questions). No question is in two files.
set -euo pipefail
cd "$(dirname "$0")/../.."
small="--n_nodes 12 --match_distractor"
mkdir -p data/prosqa-mini/matched
for d in 2 3 4; do
    python data.py generate-prosqa --n 300 --seed 2$d --min_steps $d --max_steps $d $small --out data/prosqa-mini/matched-d$d.json
    python data.py generate-prosqa --n 2667 --seed 3$((2 * d - 4)) --min_steps $d --max_steps $d $small --out data/prosqa-mini/matched/train-d$d.json
    python data.py generate-prosqa --n 100 --seed 3$((2 * d - 3)) --min_steps $d --max_steps $d $small --out data/prosqa-mini/matched/valid-d$d.json
done
python - <<'PY'
import json, random
m = "data/prosqa-mini/matched"
load = lambda path: json.load(open(path))
evaluate = [r for d in (2, 3, 4) for r in load(f"data/prosqa-mini/matched-d{d}.json")]
train = [r for d in (2, 3, 4) for r in load(f"{m}/train-d{d}.json")][:8000]
random.Random(0).shuffle(train)
valid = [r for d in (2, 3, 4) for r in load(f"{m}/valid-d{d}.json")]
seen = [{r["question"] for r in rs} for rs in (evaluate, train, valid)]
assert sum(map(len, seen)) == len(set().union(*seen)) == 900 + 8000 + 300, "a question in two files"
for name, rs in (("matched-d234", evaluate), ("matched-train", train), ("matched-valid", valid)):
    json.dump(rs, open(f"data/prosqa-mini/{name}.json", "w"), indent=1)
PY
