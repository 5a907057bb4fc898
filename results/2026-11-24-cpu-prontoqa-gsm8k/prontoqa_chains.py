"""What a CoT model writes on ProntoQA: are its chain sentences read from the question?

    python results/2026-11-24-cpu-prontoqa-gsm8k/prontoqa_chains.py out/pq-cot/last.pt data/prontoqa/prontoqa_valid.json

Greedy chains for the validation questions; counts the written sentences that are rules of the
question word for word ("Each vumpus is a brimpus."; the "Max is a ..." sentences a chain derives
are not counted), the chains whose first sentence is the gold one (the question states two facts
about the entity, so picking one at random gets about half), and the answers given.
"""
import collections
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


def sentences(text):
    return [s.strip() + "." for s in text.replace("\n", " ").split(".") if s.strip()]


def main(ckpt_path, valid_path, batch_size=50):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    rules_written = rules_in_question = first_gold = correct = 0
    answers = collections.Counter()
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, "cot", 0) for r in batch]
        out = generate(model, prompts, tok.eos, max_new_tokens=128)
        for rec, tokens in zip(batch, out["tokens"]):
            text = tok.decode(tokens)
            chain, _, answer = text.partition("###")
            written = sentences(chain)
            entity = rec.question.split("True or false: ")[-1].split()[0]
            rules = [s for s in written if not s.startswith(entity + " ")]
            question = set(sentences(rec.question))
            rules_written += len(rules)
            rules_in_question += sum(s in question for s in rules)
            first_gold += bool(written) and written[0] == sentences(rec.steps[0])[0]
            answers[answer.replace("<|endoftext|>", "").strip()] += 1
            correct += data.is_correct(text, rec.answer)
    n = len(records)
    print(f"{ckpt_path} on {n} questions of {valid_path}")
    print(f"rule sentences written: {rules_written}, of them rules of the question: {rules_in_question} "
          f"({100 * rules_in_question / max(rules_written, 1):.1f}%)")
    print(f"first sentence is the gold one: {first_gold} ({100 * first_gold / n:.1f}%)")
    print(f"answers: {dict(answers)}; correct {correct} ({100 * correct / n:.1f}%)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
