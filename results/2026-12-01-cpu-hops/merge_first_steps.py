"""Join the first N steps (default 2) of every question into one, so that train.py's stage 1 with
--c_thought N is the hops curriculum's stage N (N thoughts for the first N hops) and can be
trained for as many epochs as wanted, from a checkpoint of the stage before.

    python merge_first_steps.py data/hops/train.json data/hops/train_s2.json [N]

The language is unchanged: the merged step " g -> o.\n o -> a." is tokenized as the two steps were.
"""
import json
import sys

items = json.load(open(sys.argv[1]))
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2
for item in items:
    item["steps"] = ["\n".join(item["steps"][:n])] + item["steps"][n:]
with open(sys.argv[2], "w") as f:
    json.dump(items, f, indent=0)
