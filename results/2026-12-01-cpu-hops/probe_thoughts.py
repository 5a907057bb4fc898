"""Is the node reached after j hops linearly readable from thought j?

    python results/2026-12-01-cpu-hops/probe_thoughts.py CKPT TRAIN_JSON VALID_JSON N_THOUGHTS

Collects thoughts 1..N of 2,000 training and all validation questions (as `generate` feeds them),
fits one linear classifier per thought (16 nodes, cross-entropy, full-batch AdamW) on the training
thoughts and reports validation accuracy for path[j] (the node after j hops) and, as a check on
what else is there, path[j-1] and path[j+1]. Chance: 1/16 = 6.2%. Also the cosine between the
thoughts of different questions and the share of a thought's norm that is not the mean thought.
"""
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402
from coconut import generate  # noqa: E402

NODES = "abcdefghijklmnop"


@torch.no_grad()
def thoughts_and_paths(model, tok, records, k, batch_size=100):
    """(N, k, C) thoughts as fed in, (N, k + 2) node indices path[0..k+1]."""
    feats, paths = [], []
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        prompts = [data.inference_prompt(tok, r, "coconut", k) for r in batch]
        # the thoughts are the final hidden states before each slot; capture them from ln_f
        captured = []
        hook = model.transformer.ln_f.register_forward_hook(lambda m, i, o: captured.append(o[:, -1]))
        generate(model, prompts, tok.eos, n_latent=k, after_thoughts=[tok.eot], max_new_tokens=1)
        hook.remove()
        feats.append(torch.stack(captured[:k], dim=1))  # pass 0 gives thought 1, pass j thought j+1
        for r in batch:
            nodes = r.question.split("Start at ")[1][0] + "".join(s.split()[-1].rstrip(".") for s in r.steps)
            paths.append([NODES.index(x) for x in nodes.replace("\n", "")[:k + 2]])
    return torch.cat(feats), torch.tensor(paths)


def probe_accuracy(x_train, y_train, x_valid, y_valid, steps=500):
    mean, std = x_train.mean(0), x_train.std(0) + 1e-6
    x_train, x_valid = (x_train - mean) / std, (x_valid - mean) / std
    probe = torch.nn.Linear(x_train.size(1), len(NODES))
    opt = torch.optim.AdamW(probe.parameters(), lr=1e-2, weight_decay=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(probe(x_train), y_train).backward()
        opt.step()
    with torch.no_grad():
        return (probe(x_valid).argmax(-1) == y_valid).float().mean().item()


def probe_data(ckpt_path, train_path, valid_path, k):
    """The thoughts and paths of 2,000 training questions (to fit probes on) and of the validation
    questions (to score them on), from the checkpoint; the probes' initialisation seeded."""
    torch.manual_seed(0)  # the probes' initialisation
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    x_tr, p_tr = thoughts_and_paths(model, tok, data.load_json_records(train_path)[:2000], k)
    x_va, p_va = thoughts_and_paths(model, tok, data.load_json_records(valid_path), k)
    return x_tr, p_tr, x_va, p_va


def main(ckpt_path, train_path, valid_path, k):
    k = int(k)
    x_tr, p_tr, x_va, p_va = probe_data(ckpt_path, train_path, valid_path, k)
    print(f"{ckpt_path}: linear probes on {len(x_tr)} training thoughts, accuracy on {len(x_va)} validation ones")
    for j in range(1, k + 1):
        t = x_va[:, j - 1]
        unit = t / t.norm(dim=-1, keepdim=True)
        cos = (unit @ unit.T)[~torch.eye(len(t), dtype=torch.bool)].mean()
        spread = (t - t.mean(0)).norm(dim=-1).mean() / t.norm(dim=-1).mean()
        acc = {name: probe_accuracy(x_tr[:, j - 1], p_tr[:, j + s], t, p_va[:, j + s])
               for name, s in (("path[j-1]", -1), ("path[j]", 0), ("path[j+1]", 1))}
        print(f"thought {j}: " + ", ".join(f"{n} {100 * a:.1f}%" for n, a in acc.items())
              + f" | cosine between questions {cos:.4f}, norm off the mean thought {100 * spread:.1f}%")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: " + __doc__.split("\n\n")[1].strip())
    main(*sys.argv[1:5])
