"""train.py with one extra loss: the position whose output becomes the next thought also predicts
the few tokens after the next one (a "look-ahead" on the text, no task-specific target).

    python results/2026-12-03-cpu-lookahead/lookahead.py L [--added] [--skip_answer] TRAIN.PY-FLAGS...

Not the paper's recipe. Why: on the hops toy, Coconut from random initialisation learned every
stage with --no_eot --uniform_prob 1.0, where the last thought slot's next token is the node the
next thought should carry (" g -> o."); with every step beginning " then" it did not, because the
slot's output was then only asked to say " then". ProsQA's steps begin "Every", ProntoQA's
"Max is a". Here the last marker of each row (its last <|latent|> slot, or <bot> when it has no
thought) also gets the LM head's cross-entropy against each of the L tokens after the one it
already predicts: the word that names the next concept is within reach without being told where
it is. These L targets count as L more labelled positions in the mean cross-entropy (the default);
with --added their own mean is added to the usual loss with weight 1 instead (the first try: with
L = 2 about 8 times stronger per target, since a row has 6 to 26 labelled tokens, 16 on average).
With --skip_answer there is no look-ahead where the marker's next token is "###": there the
token after next is the answer, which a model then wrote in place of "###" (seed 0, four thoughts).
Evaluation is train.py's, unchanged. Works on any dataset; meant with train.py's --no_eot (with
<eot>, the next token is <eot>'s).
"""
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import coconut  # noqa: E402
import data  # noqa: E402
import train  # noqa: E402

tok = data.Tokenizer()
ANSWER_MARK = tok.encode("###")[0]  # "###" is one GPT-2 token


def lookahead_loss(L, added=False, skip_answer=False):
    def loss(model, batch, stop_head=None):
        hidden = coconut.continuous_forward(model, batch)  # (B, T, C)
        h = hidden.reshape(-1, hidden.size(-1))[batch["label_pos"]]
        main = F.cross_entropy(model.lm_head(h).float(), batch["label_ids"], reduction="sum")  # over N
        N = batch["label_ids"].numel()
        ids, targets = batch["input_ids"], batch["targets"]  # (B, T); targets[b, t] = token t + 1
        B, T = ids.shape
        cols = torch.arange(T, device=ids.device)
        marker = (ids == tok.bot) | (ids == tok.latent)  # (B, T)
        last = torch.where(marker, cols, -1).max(1).values  # (B,) last marker column, -1 if none
        # targets[b, last + i] is the token i + 1 after the marker, for i = 1..L
        ahead = last[:, None] + torch.arange(1, L + 1, device=ids.device)  # (B, L)
        ok = (last[:, None] >= 0) & (ahead < T)
        tgt = targets.gather(1, ahead.clamp(max=T - 1))  # (B, L)
        ok = ok & (tgt != -100)
        if skip_answer:  # the marker's own next token is "###": the token after it is the answer
            ok = ok & (targets.gather(1, last.clamp(min=0)[:, None]) != ANSWER_MARK)
        M = ok.sum()
        if not bool(M > 0):
            return main / N
        rows = torch.arange(B, device=ids.device)
        logits = model.lm_head(hidden[rows, last.clamp(min=0)]).float()  # (B, V)
        logp = F.log_softmax(logits, dim=-1)
        extra = -(logp.gather(1, tgt.clamp(min=0)) * ok).sum()  # summed over the M targets
        return main / N + extra / M if added else (main + extra) / (N + M)
    return loss


if __name__ == "__main__":
    if len(sys.argv) < 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        raise SystemExit(f"usage: {sys.argv[0]} L [--added] [--skip_answer] TRAIN.PY-FLAGS... "
                         f"(L, the tokens looked ahead, an integer >= 1; got {sys.argv[1:2]})")
    rest, options = sys.argv[2:], set()
    while rest and rest[0] in ("--added", "--skip_answer"):  # this script's options come first
        options.add(rest.pop(0))
    added, skip_answer = "--added" in options, "--skip_answer" in options
    train.coconut_loss = lookahead_loss(int(sys.argv[1]), added, skip_answer)
    train.main(rest)
