"""
Plot validation accuracy per epoch of one or more runs, with the curriculum's stage boundaries.

    python curves.py out/prosqa-coconut out/prosqa-cot --out figures/prosqa_curves.png

Each argument is a run folder written by train.py (its metrics.jsonl) or a metrics.jsonl file.
The stage boundaries are those of the first run whose stage changes (Coconut's curriculum).
Needs matplotlib (an optional dependency: `pip install matplotlib`).
"""

import argparse
import json
from pathlib import Path


def load_metrics(path):
    """The per-epoch records of a run: a folder holding metrics.jsonl, or the file itself."""
    path = Path(path)
    if path.is_dir():
        path = path / "metrics.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path}: no such file (train.py writes metrics.jsonl into its --out_dir)")
    records = []
    for i, line in enumerate(path.read_text().splitlines()):
        try:
            records.append(json.loads(line))
        except ValueError:
            raise SystemExit(f"{path} line {i + 1}: not JSON") from None
        if "epoch" not in records[-1] or "val_acc" not in records[-1]:
            raise SystemExit(f"{path} line {i + 1}: no epoch or val_acc")
    return records


def stage_boundaries(records):
    """Epochs at which a new curriculum stage starts, with that stage: [(epoch, stage), ...]."""
    return [(r["epoch"], r["stage"]) for prev, r in zip(records, records[1:]) if r["stage"] != prev["stage"]]


def label_of(path):
    path = Path(path)
    return (path.parent if path.name == "metrics.jsonl" else path).name


def plot(runs, out, title=None):
    import matplotlib
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for label, records in runs.items():
        ax.plot([r["epoch"] for r in records], [100 * r["val_acc"] for r in records], marker=".", label=label)
    for records in runs.values():
        bounds = stage_boundaries(records)
        if bounds:
            for epoch, stage in bounds:
                ax.axvline(epoch - 0.5, color="grey", lw=0.6, ls="--")
                ax.text(epoch - 0.4, 1, f"stage {stage}", rotation=90, fontsize=7, color="grey", va="bottom")
            break
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.set_ylim(0, 100)
    if title:
        ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", help="run folders (or metrics.jsonl files)")
    p.add_argument("--out", default="figures/curves.png")
    p.add_argument("--title")
    args = p.parse_args(argv)
    runs = {label_of(r): load_metrics(r) for r in args.runs}
    plot(runs, args.out, args.title)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
