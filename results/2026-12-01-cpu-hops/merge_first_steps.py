"""Join the first two steps of every question into one, so that train.py's stage 1 with
--c_thought 2 is the hops curriculum's stage 2 (two thoughts for the first two hops) and can be
trained for as many epochs as wanted, from a checkpoint of stage 1.

    python merge_first_steps.py data/hops/train.json data/hops/train_s2.json

The language is unchanged: the merged step " g -> o.\n o -> a." is tokenized as the two steps were.
"""
import json
import sys

items = json.load(open(sys.argv[1]))
for item in items:
    item["steps"] = ["\n".join(item["steps"][:2])] + item["steps"][2:]
with open(sys.argv[2], "w") as f:
    json.dump(items, f, indent=0)
