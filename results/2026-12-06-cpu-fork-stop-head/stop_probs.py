"""What the stop head says before each thought, by depth, and what other thresholds would give.

    python results/2026-12-06-cpu-fork-stop-head/stop_probs.py CKPT.pt VALID.json [VALID.json ...]

For each question the model thinks freely for 5 thoughts (the head is read but never obeyed), and
the head's probability of "stop" (<eot> next) is recorded before thought j, j = 0..4; a question
of depth D was trained to stop at j = D. The question is also answered with a fixed k = 0..4
thoughts. generate with a stop head (at most 4 thoughts) answers exactly as the fixed count the head
picks: a row that stops gets invisible positions for the rest of the thinking phase (coconut.py,
part 4; tests/test_coconut.py checks it). So the accuracy of the head with the threshold t in place
of 0.5 is the accuracy at k = the first j in 0..3 whose probability is over t (4 if none), and is
computed here from the fixed-count answers, without running the head again. Run from the
repository root.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402
from coconut import generate  # noqa: E402
from train import model_from_checkpoint, stop_head_from_checkpoint  # noqa: E402

MAX_THOUGHTS = 4  # what the model was trained with, and the evaluation's limit
THRESHOLDS = (0.5, 0.7, 0.9, 0.97, 0.99)


class Recorder(torch.nn.Module):
    """Reads the stop head's probability and never says stop, so every row thinks on."""

    def __init__(self, head):
        super().__init__()
        self.head, self.probs = head, []

    def forward(self, thought):  # (B, C) -> (B, 1) logits, all "go on"
        logit = self.head(thought)
        self.probs.append(torch.sigmoid(logit[:, 0]))
        return torch.full_like(logit, -1.0)


@torch.no_grad()
def run(model, head, tok, records, batch_size=125):
    """(N, 5) stop probabilities before thoughts 0..4, and (N, 5) correctness with k = 0..4."""
    probs, right = [], []
    for s in range(0, len(records), batch_size):
        recs = records[s:s + batch_size]
        prompts = [data.inference_prompt(tok, r, "coconut", MAX_THOUGHTS) for r in recs]
        recorder = Recorder(head)
        generate(model, prompts, tok.eos, n_latent=MAX_THOUGHTS + 1, after_thoughts=[tok.eot],
                 max_new_tokens=48, stop_head=recorder)
        probs.append(torch.stack(recorder.probs, 1))  # (b, 5)
        per_k = []
        for k in range(MAX_THOUGHTS + 1):
            out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=48)
            per_k.append([data.is_correct(tok.decode(t), r.answer) for t, r in zip(out["tokens"], recs)])
        right.append(torch.tensor(per_k).T)  # (b, 5)
    return torch.cat(probs), torch.cat(right)


def thoughts_at(probs, t):
    """(N,) thoughts used with threshold t: the first j < 4 with probability over t, else 4."""
    over = torch.cat([probs[:, :MAX_THOUGHTS] > t, torch.ones_like(probs[:, :1], dtype=torch.bool)], 1)
    return over.long().argmax(1)  # argmax of a bool row: its first True


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: " + __doc__.split("\n")[2].strip())
    ckpt_path, files = sys.argv[1], sys.argv[2:]
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    head = stop_head_from_checkpoint(ckpt, "cpu")
    if head is None:
        sys.exit(f"{ckpt_path}: no stop head in this checkpoint")
    print(f"# {ckpt_path}: the head's P(stop) before thought j (free-running thoughts), and the "
          f"accuracy with k fixed thoughts, 500 questions per file")
    results = {}
    for path in files:
        records = data.load_json_records(path)
        depths = {len(r.steps) for r in records}
        probs, right = run(model, head, tok, records)
        results[path] = (probs, right)
        mean = " ".join(f"{p:.3f}" for p in probs.mean(0).tolist())
        share = " ".join(f"{p:.2f}" for p in (probs > 0.5).float().mean(0).tolist())
        acc = " ".join(f"{a:.1f}" for a in (100 * right.float().mean(0)).tolist())
        print(f"{path} (depth {sorted(depths)}): mean P(stop) at j=0..4: {mean} | share over 0.5: "
              f"{share} | accuracy % with k=0..4: {acc}")
    print("threshold | per file: accuracy % / thoughts per question | all files: accuracy % / thoughts")
    for t in THRESHOLDS:
        cells, hits, used, n = [], 0, 0, 0
        for path, (probs, right) in results.items():
            k = thoughts_at(probs, t)
            ok = right[torch.arange(len(k)), k]
            cells.append(f"{100 * ok.float().mean():.1f} / {k.float().mean():.2f}")
            hits, used, n = hits + int(ok.sum()), used + int(k.sum()), n + len(k)
        print(f"{t} | " + " | ".join(cells) + f" | {100 * hits / n:.1f} / {used / n:.2f}")


if __name__ == "__main__":
    main()
