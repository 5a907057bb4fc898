"""
The results table: for each method and dataset, the validation accuracy and generated tokens per
question of our run beside the paper's (Hao et al. 2024, Table 1, GPT-2 124M from OpenAI's weights).

    python table.py                      # reads out/<dataset>-<method>/ (reproduce.sh's folders)
    python table.py --name prosqa=mini   # the ProsQA column from out/mini-<method>/ instead

A finished cell is the run's best.pt, the checkpoint train.py selected (the best validation
accuracy among the epochs that answer as the method does at test time), with the epoch it comes
from. A run without best.pt yet is shown as running, with its last epoch from metrics.jsonl; a
missing folder as "not run". Prints Markdown, ready for the README.
"""

import argparse
import json
from pathlib import Path

import torch

DATASETS = {"prosqa": "ProsQA", "prontoqa": "ProntoQA", "gsm8k": "GSM8k"}
METHODS = {  # train.py's --method: the row name in the paper's table
    "cot": "CoT", "no-cot": "No-CoT", "icot": "iCoT", "pause": "Pause token", "coconut": "Coconut",
    "no-curriculum": "w/o curriculum", "no-thought": "w/o thought", "pause-as-thought": "pause as thought",
}
# the paper's Table 1: (accuracy %, its spread as printed, generated tokens per question) on GSM8k,
# ProntoQA and ProsQA; iCoT's GSM8k figure comes from the iCoT paper, without a spread
PAPER = {
    "cot": ((42.9, 0.2, 25.0), (98.8, 0.8, 92.5), (77.5, 1.9, 49.4)),
    "no-cot": ((16.5, 0.5, 2.2), (93.8, 0.7, 3.0), (76.7, 1.0, 8.2)),
    "icot": ((30.0, None, 2.2), (99.8, 0.3, 3.0), (98.2, 0.3, 8.2)),
    "pause": ((16.4, 1.8, 2.2), (77.7, 21.0, 3.0), (75.9, 0.7, 8.2)),
    "coconut": ((34.1, 1.5, 8.2), (99.8, 0.2, 9.0), (97.0, 0.3, 14.2)),
    "no-curriculum": ((14.4, 0.8, 8.2), (52.4, 0.4, 9.0), (76.1, 0.2, 14.2)),
    "no-thought": ((21.6, 0.5, 2.3), (99.9, 0.1, 3.0), (95.5, 1.1, 8.2)),
    "pause-as-thought": ((24.1, 0.7, 2.2), (100.0, 0.1, 3.0), (96.6, 0.8, 8.2)),
}


def paper_cell(method, dataset):
    acc, spread, tokens = PAPER[method][("gsm8k", "prontoqa", "prosqa").index(dataset)]
    return f"{acc:.1f}" + (f" ±{spread:.1f}" if spread is not None else "") + f" / {tokens:.1f}"


def run_cell(folder):
    """What one run folder says: its selected checkpoint, or how far it got."""
    folder = Path(folder)
    best, metrics = folder / "best.pt", folder / "metrics.jsonl"
    if best.is_file():
        # mmap: only the small entries read below come off the disk, not the weights
        ckpt = torch.load(best, map_location="cpu", weights_only=True, mmap=True)
        epoch = ckpt["epoch"] - 1  # a checkpoint stores the epoch to start from
        record = ckpt["history"][epoch]
        if record["epoch"] != epoch or abs(record["val_acc"] - ckpt["best_acc"]) > 1e-9:
            raise SystemExit(f"{best}: its history does not hold its own epoch {epoch}")
        return f"**{100 * record['val_acc']:.1f}** / {record['val_tokens_per_question']:.1f} (epoch {epoch})"
    if metrics.is_file():
        lines = metrics.read_text().splitlines()
        if not lines:
            return "running, no epoch yet"
        try:
            last = json.loads(lines[-1])
        except ValueError:
            raise SystemExit(f"{metrics} line {len(lines)}: not JSON") from None
        return f"running: epoch {last['epoch']}, stage {last['stage']}, {100 * last['val_acc']:.1f}%"
    return "not run"


def table(out_root, names):
    """Markdown rows: method, then ours and the paper's for each dataset."""
    head = ["method"]
    for dataset, title in DATASETS.items():
        head += [f"{title}: ours ({out_root}/{names[dataset]}-*)", f"{title}: paper"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for method, title in METHODS.items():
        cells = [title]
        for dataset in DATASETS:
            cells += [run_cell(Path(out_root) / f"{names[dataset]}-{method}"), paper_cell(method, dataset)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def parse_names(pairs):
    """--name prosqa=mini ...: the folder prefix of each dataset's runs (default: the dataset)."""
    names = {d: d for d in DATASETS}
    for pair in pairs:
        dataset, sep, prefix = pair.partition("=")
        if not sep or dataset not in DATASETS or not prefix:
            raise SystemExit(f"--name {pair!r}: expected DATASET=PREFIX with DATASET one of {list(DATASETS)}")
        names[dataset] = prefix
    return names


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out_root", default="out", help="the folder holding the run folders")
    p.add_argument("--name", action="append", default=[], metavar="DATASET=PREFIX",
                   help="read DATASET's runs from <out_root>/<PREFIX>-<method> (reproduce.sh's NAME)")
    args = p.parse_args(argv)
    print(table(args.out_root, parse_names(args.name)))
    print("\naccuracy % / generated tokens per question (thoughts count as generated positions); "
          "ours: validation set, paper: test set")


if __name__ == "__main__":
    main()
