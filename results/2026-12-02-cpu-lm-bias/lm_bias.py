"""train.py with a bias on the LM head (not GPT-2, which has none): does it shorten the plateaus?

    python results/2026-12-02-cpu-lm-bias/lm_bias.py TRAIN.PY-FLAGS...

Why: from random initialisation the final hidden state, which Coconut feeds back as a thought,
is dominated by one direction shared by every question; part of it (the mean thought's cosine
with the mean embedding of the unused tokens is -0.37 to -0.58) pushes down the logits of the
~50,000 tokens the task never uses, since the tied LM head has no bias to do it. The part that
differs between questions, the thought's content, is 1 to 15% of its norm (probes.txt in
../2026-12-01-cpu-hops/). A bias on the logits can
take over that job. Every GPT built while this runs gets a zero-initialised bias on its LM head
(so checkpoints of such runs load only through this script).
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import gpt2  # noqa: E402
import train  # noqa: E402

plain_init = gpt2.GPT.__init__


def init_with_lm_bias(self, config):
    plain_init(self, config)
    self.lm_head.bias = torch.nn.Parameter(torch.zeros(config.vocab_size))  # (V,), not decayed (1-D)


gpt2.GPT.__init__ = init_with_lm_bias

if __name__ == "__main__":
    train.main(sys.argv[1:])
