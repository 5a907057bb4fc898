"""Accuracy by the number of steps of the gold chain, recomputed from the texts an earlier
analysis.py run wrote into its analysis.json (analysis.accuracy_by_steps did not exist then, and
the checkpoints those runs read are gone).

    python results/2026-12-06-cpu-by-steps/by_steps.py VALID.json ANALYSIS.json [ANALYSIS.json ...]

VALID.json must be the question file the analysis read, in the same order: the script checks that
the texts give back the accuracy the analysis stored, and stops if they do not.
"""
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import analysis  # noqa: E402
import data  # noqa: E402


def main(valid_file, analysis_files):
    records = data.load_json_records(valid_file)
    for path in analysis_files:
        numbers = json.loads(Path(path).read_text())
        print(f"{path} ({numbers['ckpt']}, {numbers['questions']} questions of {valid_file})")
        for k, r in numbers["interpolation"].items():
            texts = r["texts"]
            if len(texts) > len(records):
                raise SystemExit(f"{path}: {len(texts)} texts but {valid_file} has {len(records)} questions")
            right = [data.is_correct(t, rec.answer) for rec, t in zip(records, texts)]
            if sum(right) / len(texts) != r["accuracy"]:
                raise SystemExit(f"{path}, k = {k}: the texts give {sum(right) / len(texts):.4f}, the file "
                                 f"says {r['accuracy']:.4f}: not the questions it was run on")
            by_steps = analysis.accuracy_by_steps(records[:len(texts)], right)
            cells = [f"{n} steps {c['accuracy'] * 100:5.1f}% of {c['n']:3d} "
                     f"(+-{100 * math.sqrt(c['accuracy'] * (1 - c['accuracy']) / c['n']):4.1f})"
                     for n, c in by_steps.items()]
            print(f"  k = {k}: all {r['accuracy'] * 100:5.1f}% | " + " | ".join(cells))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
