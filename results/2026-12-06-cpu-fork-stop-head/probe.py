"""Would another stop head find the number of thoughts? Heads fitted offline on one model's thoughts.

    python results/2026-12-06-cpu-fork-stop-head/probe.py CKPT.pt TRAIN.json VALID.json [VALID.json ...]

The stop head of this folder's first runs (one linear map of the thought, as coconut.py had it)
tells depth-3 from depth-4 questions no better than chance after three thoughts, where the first
should stop and the second go on. Is the difference not in the thought, or is one linear map for every decision
the wrong reader? The head reads detached thoughts, so heads of other forms can be fitted after
training, on the same decisions the stop loss uses: for every training question of depth D, "go
on" after 0 to D - 1 thoughts and "stop" after D (the thoughts computed by the model thinking
freely, as at test time). Each head is then used as the stop head would be on the validation
files (at most 4 thoughts; stop at the first j with probability over 0.5): its accuracy is the
accuracy of the fixed count it picks for each question (a row that stops answers exactly as with
that count; see stop_probs.py). The heads:

    the checkpoint's     the stop head trained with the model (for comparison)
    linear               its form, fitted here to convergence
    linear + index bias  the same with a learned bias for each number of thoughts so far
    linear per index     a separate linear map for each number of thoughts so far
    MLP                  one hidden layer of 256 (GELU) on the thought, shared by every decision
    linear, history      a linear map of every thought read so far (later slots zero)

Also printed: each head's balanced accuracy (the mean of the two depths' shares decided right) on
the decision after three thoughts, depth 3 (stop) against depth 4 (go on). Run from the
repository root; about 10 minutes on two threads.
"""
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import data  # noqa: E402
from coconut import generate  # noqa: E402
from train import model_from_checkpoint, stop_head_from_checkpoint  # noqa: E402

MAX_THOUGHTS = 4  # the model's, and the most the heads may give
READS = MAX_THOUGHTS + 1  # thoughts read: after 0..4 thoughts (a depth-4 question stops after 4)


class Recorder(nn.Module):
    """Keeps every thought it is shown, as a stop head, and never says stop."""

    def __init__(self):
        super().__init__()
        self.thoughts = []

    def forward(self, thought):  # (B, C) -> (B, 1) logits, all "go on"
        self.thoughts.append(thought.clone())
        return thought.new_full((thought.size(0), 1), -1.0)


@torch.no_grad()
def thoughts_and_answers(model, tok, records, with_answers, batch_size=250):
    """(N, READS, C) thoughts read after 0..4 thoughts, and (N, READS) bool: right with k = 0..4
    fixed thoughts (None unless with_answers)."""
    thoughts, right = [], []
    for s in range(0, len(records), batch_size):
        recs = records[s:s + batch_size]
        prompts = [data.inference_prompt(tok, r, "coconut", MAX_THOUGHTS) for r in recs]
        recorder = Recorder()
        generate(model, prompts, tok.eos, n_latent=READS, after_thoughts=[tok.eot], max_new_tokens=1,
                 stop_head=recorder)
        thoughts.append(torch.stack(recorder.thoughts, 1))
        if with_answers:
            per_k = []
            for k in range(READS):
                out = generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=48)
                per_k.append([data.is_correct(tok.decode(t), r.answer) for t, r in zip(out["tokens"], recs)])
            right.append(torch.tensor(per_k).T)
    return torch.cat(thoughts), torch.cat(right) if with_answers else None


# the heads: each maps (thoughts (S, READS, C), j (S,)) to stop logits (S,), reading thought j


class Linear(nn.Module):
    def __init__(self, C, index_bias=False):
        super().__init__()
        self.lin = nn.Linear(C, 1)
        self.bias = nn.Embedding(READS, 1) if index_bias else None

    def forward(self, t, j):
        logit = self.lin(t[torch.arange(len(j)), j]).squeeze(-1)
        return logit + self.bias(j).squeeze(-1) if self.bias is not None else logit


class PerIndex(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.w, self.b = nn.Parameter(torch.zeros(READS, C)), nn.Parameter(torch.zeros(READS))

    def forward(self, t, j):
        return (t[torch.arange(len(j)), j] * self.w[j]).sum(-1) + self.b[j]


class MLP(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(C, 256), nn.GELU(), nn.Linear(256, 1))

    def forward(self, t, j):
        return self.net(t[torch.arange(len(j)), j]).squeeze(-1)


class History(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.lin = nn.Linear(READS * C, 1)

    def forward(self, t, j):
        seen = (torch.arange(READS)[None, :] <= j[:, None]).float()  # (S, READS)
        return self.lin((t * seen[:, :, None]).flatten(1)).squeeze(-1)


class Trained(nn.Module):
    """The checkpoint's stop head, on the raw (not standardised) thoughts."""

    def __init__(self, head, mean, std):
        super().__init__()
        self.head, self.mean, self.std = head, mean, std

    def forward(self, t, j):
        return self.head(t[torch.arange(len(j)), j] * self.std + self.mean).squeeze(-1)


def decisions(t, depths):
    """The stop loss's decisions: every question of depth D after j = 0..D thoughts."""
    q = torch.cat([torch.full((d + 1,), i) for i, d in enumerate(depths)])
    j = torch.cat([torch.arange(d + 1) for d in depths])
    return t[q], j, (j == torch.tensor(depths)[q]).float()  # (S, READS, C), (S,), (S,)


def fit(head, t, j, y, steps=1500, lr=3e-3):
    opt = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=1e-2)
    for _ in range(steps):
        loss = nn.functional.binary_cross_entropy_with_logits(head(t, j), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return head


@torch.no_grad()
def thoughts_chosen(head, t):
    """(N,) thoughts each question gets: the first j < 4 where the head says stop, else 4."""
    N = t.size(0)
    stop = torch.stack([head(t, torch.full((N,), j)) > 0 for j in range(MAX_THOUGHTS)], 1)  # (N, 4)
    stop = torch.cat([stop, torch.ones(N, 1, dtype=torch.bool)], 1)
    return stop.long().argmax(1)


@torch.no_grad()
def after_three(head, t, depths):
    """Balanced accuracy of the decision after three thoughts, depth 3 (stop) against 4 (go on)."""
    d = torch.tensor(depths)
    stop = head(t, torch.full((t.size(0),), 3)) > 0
    return 50 * ((stop[d == 3]).float().mean() + (~stop[d == 4]).float().mean()).item()


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: " + __doc__.split("\n")[2].strip())
    ckpt_path, train_path, valid_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    torch.manual_seed(0)
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    train = data.load_json_records(train_path)
    t_train, _ = thoughts_and_answers(model, tok, train, with_answers=False)
    mean, std = t_train.mean((0, 1)), t_train.std((0, 1)) + 1e-6  # (C,) each
    t_train = (t_train - mean) / std
    valid = [(p, data.load_json_records(p)) for p in valid_paths]
    valid = [(p, recs, *thoughts_and_answers(model, tok, recs, with_answers=True)) for p, recs in valid]
    C = t_train.size(-1)
    heads = {"linear": Linear(C), "linear + index bias": Linear(C, index_bias=True),
             "linear per index": PerIndex(C), "MLP": MLP(C), "linear, history": History(C)}
    t, j, y = decisions(t_train, [len(r.steps) for r in train])
    heads = {name: fit(head, t, j, y) for name, head in heads.items()}
    own = stop_head_from_checkpoint(ckpt, "cpu")
    if own is not None:
        heads = {"the checkpoint's": Trained(own, mean, std), **heads}
    print(f"# {ckpt_path}: heads fitted on {len(j)} decisions of {len(train)} training questions; "
          f"per validation file: accuracy % / thoughts per question")
    files34 = [(t_v, [len(r.steps) for r in recs]) for _, recs, t_v, _ in valid]
    files34 = [(t_v, d) for t_v, d in files34 if set(d) <= {3, 4}]  # the files of depth 3 or 4
    t34 = (torch.cat([t_v for t_v, _ in files34]) - mean) / std if files34 else None
    depths34 = [d for _, ds in files34 for d in ds]
    for name, head in heads.items():
        cells, hits, used, n = [], 0, 0, 0
        for _, recs, t_v, right in valid:
            k = thoughts_chosen(head, (t_v - mean) / std)
            ok = right[torch.arange(len(k)), k]
            cells.append(f"{100 * ok.float().mean():.1f} / {k.float().mean():.2f}")
            hits, used, n = hits + int(ok.sum()), used + int(k.sum()), n + len(k)
        d3v4 = f" | after three, depth 3 vs 4: {after_three(head, t34, depths34):.1f}%" if files34 else ""
        print(f"{name}: " + " | ".join(cells) + f" | all: {100 * hits / n:.1f} / {used / n:.2f}" + d3v4)


if __name__ == "__main__":
    main()
