"""
Which answers a ProsQA checkpoint gives (greedy, as train.py evaluates), on a ProsQA file:

    python results/2026-12-04-cpu-lease-phase2-preview/answers.py out/cpu-p-cot-preview/epoch0.pt \
        data/prosqa/prosqa_valid.json

Each answer line (the text after the last '#') is counted as: the right option, the other option
(the question's wrong one), another sentence about the person (a concept that is not an option),
something else, or missing (no '#' in the text generated). Beside it:
how often the option named is the one listed first in the question, and, for answers that name an
option, whether the chain written before it ended at that option (its last line's concept); for
missing answers, how many stopped (<|endoftext|>) before a '#' rather than at the token limit,
how many of those chains repeat a line (a walk in a circle) and their mean length.
Run from the repository root.
"""

import collections
import re
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import analysis  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402

QUESTION = re.compile(r"Is (\S+) a (\S+) or (\S+)\?$")
ANSWER = re.compile(r"^(\S+) is a (\S+)\.$")


def options(question, where):
    match = QUESTION.search(question)
    if match is None:
        raise ValueError(f"{where}: no 'Is X a A or B?' at the end of the question: {question[-80:]!r}")
    return match.group(1), match.group(2), match.group(3)


def gold_concept(answer, where):
    match = ANSWER.match(answer)
    if match is None:
        raise ValueError(f"{where}: the answer {answer!r} is not of the form 'X is a Y.'")
    return match.group(2)


def classify_answer(question, gold, text, where):
    """-> (category, index of the option named or None, whether the chain ended at that option)."""
    person, first, second = options(question, where)
    right = gold_concept(gold, where)
    lines, answer_part = analysis.split_generation(text)
    if not answer_part:
        return "missing", None, None
    match = ANSWER.match(data.extract_answer(answer_part))
    if match is None or match.group(1) != person:
        return "something else", None, None
    named = match.group(2)
    if named not in (first, second):
        return "another concept", None, None
    last = ANSWER.match(lines[-1].removeprefix("Every ")) if lines else None
    chain_ends_there = last is not None and last.group(2) == named
    return ("right option" if named == right else "other option"), (first, second).index(named), chain_ends_there


@torch.no_grad()
def main(ckpt_path, path, batch_size=100):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    if ckpt["config"]["method"] != "cot":  # the prompts below are CoT's: no thoughts
        sys.exit(f"{ckpt_path}: a {ckpt['config']['method']} checkpoint; this script reads CoT models")
    records = data.load_json_records(path)
    categories, first_named, ends_there = collections.Counter(), collections.Counter(), collections.Counter()
    firsts_right, missing_repeats, missing_lines, missing_stopped = 0, 0, 0, 0
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, "cot", 0) for r in batch]
        out = generate(model, prompts, tok.eos, max_new_tokens=128)
        for i, (r, tokens) in enumerate(zip(batch, out["tokens"]), start):
            where, text = f"{path}, example {i}", tok.decode(tokens)
            category, option, chain_ends = classify_answer(r.question, r.answer, text, where)
            categories[category] += 1
            if category == "missing":
                lines, _ = analysis.split_generation(text)
                missing_repeats += len(set(lines)) < len(lines)
                missing_lines += len(lines)
                missing_stopped += bool(tokens) and tokens[-1] == tok.eos
            firsts_right += gold_concept(r.answer, where) == options(r.question, where)[1]
            if option is not None:
                first_named[option == 0] += 1
                ends_there[(category, chain_ends)] += 1
    n = len(records)
    print(f"{ckpt_path} on {path} ({n} questions)")
    for category in ("right option", "other option", "another concept", "something else", "missing"):
        print(f"  {category:16s} {categories[category]:4d}  {100 * categories[category] / n:5.1f}%")
    missing = categories["missing"]
    print(f"  of the {missing} missing answers, {missing_stopped} stopped before a '#' (the rest ran to the "
          f"token limit); the chain repeats a line in {missing_repeats}; "
          f"lines per chain {missing_lines / max(missing, 1):.1f} (the last one may be cut off)")
    named = sum(first_named.values())
    print(f"  of the {named} answers naming an option, the first listed: {first_named[True]} "
          f"({100 * first_named[True] / max(named, 1):.1f}%); the right one is listed first in "
          f"{firsts_right} of {n} questions ({100 * firsts_right / n:.1f}%)")
    for category in ("right option", "other option"):
        yes, no = ends_there[(category, True)], ends_there[(category, False)]
        print(f"  {category}: the chain's last line ends at it in {yes} of {yes + no}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python results/2026-12-04-cpu-lease-phase2-preview/answers.py CHECKPOINT.pt PROSQA.json")
    main(*sys.argv[1:])
