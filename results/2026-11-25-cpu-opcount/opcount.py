"""How many operations one training step dispatches, per curriculum stage (CPU; a proxy for the
kernel launches that bind the thought passes on a GPU, results/2026-11-24-h100-b/).

    python results/2026-11-25-cpu-opcount/opcount.py > results/2026-11-25-cpu-opcount/opcount.txt

A 12-layer GPT-2 as deep as the real one but 64 wide (counts do not depend on the width), 8
generated ProsQA questions, the step's forward (loss) and backward counted separately by a
dispatch mode that sees every aten operation; "kernels" leaves out the view-like ones, which
launch nothing on a GPU.
"""
import collections
import sys
from pathlib import Path

import torch
from torch.utils._python_dispatch import TorchDispatchMode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root
import bench  # noqa: E402
import data  # noqa: E402
from gpt2 import GPT, GPTConfig  # noqa: E402
from train import LossModule  # noqa: E402

VIEWS = {"view", "_unsafe_view", "transpose", "t", "split", "unsqueeze", "squeeze", "expand", "slice",
         "select", "detach", "alias", "as_strided", "permute", "_reshape_alias", "reshape"}


class CountOps(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.counts = collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.counts[func.overloadpacket.__name__] += 1
        return func(*args, **(kwargs or {}))


def kernels(counts):
    return sum(n for name, n in counts.items() if name not in VIEWS)


def main():
    torch.manual_seed(0)
    tok = data.Tokenizer()
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, n_layer=12, n_head=2, n_embd=64))
    loss_module = LossModule(model)
    records = bench.generated_prosqa(8, seed=123)
    for stage in [0, 1, 6]:
        batch = data.collate([data.build_example(tok, r, "coconut", stage) for r in records], tok)
        with CountOps() as fwd:
            loss = loss_module(batch)
        with CountOps() as bwd:
            loss.backward()
        model.zero_grad(set_to_none=True)
        print(f"stage {stage} ({batch['max_latent']} thoughts): forward {sum(fwd.counts.values())} ops "
              f"({kernels(fwd.counts)} kernels), backward {sum(bwd.counts.values())} ops ({kernels(bwd.counts)} kernels)")
        if stage == 6:
            print("  backward, most frequent:", bwd.counts.most_common(6))


if __name__ == "__main__":
    main()
