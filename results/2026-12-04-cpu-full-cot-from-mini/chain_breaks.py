"""Where do the chains a ProsQA CoT model writes leave the graph? (a diagnostic for this folder)

    python results/2026-12-04-cpu-full-cot-from-mini/chain_breaks.py CKPT.pt data/prosqa/prosqa_valid.json

For every chain that analysis.classify_path calls a hallucination, finds the first faulty line (a
sentence that is no fact of the graph, or a fact that does not start where the line before ended)
and reports: is it the chain's last line, is it no fact at all (and was the chain before it at a
dead end, a concept with no children), does it name an answer option (the target or the other
option), and did the chain up to it follow real edges from the person asked.
"""
import collections
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import analysis  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


def first_fault(graph, lines):
    """Index of the first line that is no edge, or does not continue the line before; None if none."""
    edges = analysis.parse_chain(graph, lines)
    for i, edge in enumerate(edges):
        if edge is None or (i > 0 and edges[i - 1] is not None and edges[i - 1][1] != edge[0]):
            return i, edges
    return None, edges


def main(ckpt_path, valid_file):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_file)
    counts = collections.Counter()
    for i in range(0, len(records), 100):
        rows = records[i:i + 100]
        prompts = [data.inference_prompt(tok, r, ckpt["config"]["method"], 0) for r in rows]
        out = generate(model, prompts, tok.eos, max_new_tokens=64)
        for r, tokens in zip(rows, out["tokens"]):
            text = tok.decode(tokens)
            if analysis.classify_path(r.graph, text) != "hallucination":
                continue
            lines, _ = analysis.split_generation(text)
            g = r.graph
            fault, edges = first_fault(g, lines)
            counts["hallucinations"] += 1
            if fault is None:
                counts["no faulty line (starts away from the person)"] += 1
                continue
            last = fault == len(lines) - 1
            counts["first fault is the last line" if last else "first fault before the last line"] += 1
            if edges[fault] is not None:
                counts["faulty line is a fact that does not continue the chain"] += 1
            else:
                counts["faulty line is no fact of the graph"] += 1
                if fault > 0 and not analysis.children_lists(g)[edges[fault - 1][1]]:
                    counts["... and the chain before it ended at a concept with no children"] += 1
            symbols = g["idx_to_symbol"]
            options = {symbols[g["target"]], symbols[g["neg_target"]]}
            named = lines[fault].rstrip(".").split(" ")[-1]
            counts["faulty line names " + ("an answer option" if named in options else "another concept")] += 1
            if edges[0] is not None and edges[0][0] == g["root"]:
                counts["lines before the fault are real edges from the person"] += 1
    n = len(records)
    print(f"{valid_file}: {n} questions")
    for k, v in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {k}: {v} ({100 * v / n:.1f}% of questions)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: python {sys.argv[0]} CHECKPOINT.pt PROSQA.json")
    main(*sys.argv[1:])
