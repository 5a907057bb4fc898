"""What a CoT model writes on ProntoQA: are its chain sentences read from the question?

    python results/2026-11-24-cpu-prontoqa-gsm8k/prontoqa_chains.py out/pq-cot/last.pt data/prontoqa/prontoqa_valid.json

Greedy chains for the validation questions; counts the written sentences that are rules of the
question word for word ("Each vumpus is a brimpus."; the "Max is a ..." sentences a chain derives
are not counted), the chains whose first sentence is the gold one (the question states two facts
about the entity, so picking one at random gets about half), and the answers given.
Added 2026-12-01: whole chains equal to the gold one; the chain's conclusion (its last sentence)
against the query, which it should settle ("Alex is happy." or "Alex is not happy." for "True or
false: Alex is happy."), and whether the answer written follows from that conclusion; the first
`show` chains in full (a third argument, default 0).
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


def implied_answer(conclusion, query):
    """True / False if the sentence `conclusion` states the query or its negation, else None."""
    negated = query.replace(" is not ", " is ") if " is not " in query else query.replace(" is ", " is not ", 1)
    return {query: "True", negated: "False"}.get(conclusion)


def main(ckpt_path, valid_path, show=0, batch_size=50):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    rules_written = rules_in_question = first_gold = correct = 0
    whole_gold = settles = follows = settles_truly = 0
    answers = collections.Counter()
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, "cot", 0) for r in batch]
        out = generate(model, prompts, tok.eos, max_new_tokens=128)
        for i, (rec, tokens) in enumerate(zip(batch, out["tokens"]), start):
            text = tok.decode(tokens)
            chain, _, answer = text.partition("###")
            written = sentences(chain)
            entity = rec.question.split("True or false: ")[-1].split()[0]
            rules = [s for s in written if not s.startswith(entity + " ")]
            question = set(sentences(rec.question))
            rules_written += len(rules)
            rules_in_question += sum(s in question for s in rules)
            first_gold += bool(written) and written[0] == sentences(rec.steps[0])[0]
            answer = answer.replace("<|endoftext|>", "").strip()
            answers[answer] += 1
            gold = [x for step in rec.steps for x in sentences(step)]
            whole_gold += written == gold
            query = rec.question.split("True or false: ")[-1].strip()
            implied = implied_answer(written[-1], query) if written else None
            settles += implied is not None
            follows += implied is not None and implied == answer
            settles_truly += implied is not None and implied == rec.answer
            if i < show:
                print(f"question {i}: ...{rec.question[-160:]}")
                print(f"  gold:    {' '.join(gold)} ### {rec.answer}")
                print(f"  written: {text.strip()}")
            correct += data.is_correct(text, rec.answer)
    n = len(records)
    print(f"{ckpt_path} on {n} questions of {valid_path}")
    print(f"rule sentences written: {rules_written}, of them rules of the question: {rules_in_question} "
          f"({100 * rules_in_question / max(rules_written, 1):.1f}%)")
    print(f"first sentence is the gold one: {first_gold} ({100 * first_gold / n:.1f}%)")
    print(f"answers: {dict(answers)}; correct {correct} ({100 * correct / n:.1f}%)")
    print(f"whole chain equal to the gold one: {whole_gold} ({100 * whole_gold / n:.1f}%)")
    print(f"conclusion settles the query: {settles} ({100 * settles / n:.1f}%); of these, the answer written "
          f"follows from it in {follows} and the conclusion is the true one in {settles_truly}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:]))
