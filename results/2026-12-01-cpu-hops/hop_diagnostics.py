"""Where does a model go wrong on the hops task? Per number of thoughts k, the chain it writes.

    python results/2026-12-01-cpu-hops/hop_diagnostics.py CKPT VALID_JSON [KS]

For each k in KS (default 0), the model gets the question, then (k > 0) <bot>, k thoughts, <eot>,
and writes greedily. Counted over the questions: accuracy; "hop j right": the j-th node written is
gold step k + j (what is left of the chain after the thoughts); "all written right". For k = 0 the
prompt is the CoT prompt (the question alone), as `train.py` evaluates a CoT model. For k > 0,
also what each thought decodes to through the LM head, read as its most probable node token (" a"
.. " p"; the most probable token overall is "." or " ->"): the node reached after j hops (path[j],
path[0] the start), the one before it, or the one after.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402


NODES = list("abcdefghijklmnop")


@torch.no_grad()
def written_texts(model, tok, records, k, batch_size=100):
    texts, thought_tokens = [], []
    node_ids = torch.tensor([tok.encode(" " + x)[0] for x in NODES])
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        method = "coconut" if k > 0 else "cot"
        prompts = [data.inference_prompt(tok, r, method, k) for r in batch]
        out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot] if k else (),
                       max_new_tokens=32)
        texts += [tok.decode(t) for t in out["tokens"]]
        if k:
            best = out["thought_logits"][:, :, node_ids].argmax(-1)  # (batch, k): index into NODES
            thought_tokens += [[NODES[i] for i in row] for row in best.tolist()]
    return texts, thought_tokens


def main(ckpt_path, valid_path, ks="0"):
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)
    n = len(records)
    print(f"{ckpt_path} on {n} questions of {valid_path}")
    for k in map(int, ks.split(",")):
        texts, thought_tokens = written_texts(model, tok, records, k)
        correct, all_right, hop_right = 0, 0, [0] * 8
        decodes = {"path[j]": [0] * k, "path[j-1]": [0] * k, "path[j+1]": [0] * k}
        for i, (rec, text) in enumerate(zip(records, texts)):
            path = [rec.steps[0].split()[0]] + [step.split()[-1].rstrip(".") for step in rec.steps]
            for j in range(1, k + 1):
                said = thought_tokens[i][j - 1]
                for name, shift in (("path[j]", 0), ("path[j-1]", -1), ("path[j+1]", 1)):
                    decodes[name][j - 1] += j + shift < len(path) and said == path[j + shift]
            chain = text.split("<|endoftext|>")[0].partition("###")[0]
            # the node each written step reaches ("g -> o." -> "o"), against what is left of the gold chain
            written = [line.split()[-1].rstrip(".") for line in chain.strip().splitlines() if line.split()]
            left = [step.split()[-1].rstrip(".") for step in rec.steps[k:]]
            correct += data.is_correct(text, rec.answer)
            all_right += written == left
            for j, node in enumerate(left):
                hop_right[j] += j < len(written) and written[j] == node
        hops = " ".join(f"{100 * hop_right[j] / n:.1f}" for j in range(len(records[0].steps) - k))
        print(f"k={k}: accuracy {100 * correct / n:.1f}% | hop j right (j = 1..): {hops or '-'} | "
              f"all written right {100 * all_right / n:.1f}% | e.g. {texts[0].strip()!r}", flush=True)
        for name, counts in (decodes.items() if k else ()):
            print(f"    thought j = 1..{k} decodes to {name}: " + " ".join(f"{100 * c / n:.1f}" for c in counts))


if __name__ == "__main__":
    main(*sys.argv[1:4])
