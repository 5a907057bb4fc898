"""Which node does each thought name, and does a thought pass still hop without its window?

    python results/2026-12-02-cpu-hop-window/window_ablate.py CKPT VALID_JSON K

For the first 300 validation questions of the hops toy (all of one length, so no padding), runs
the prompt and K thoughts by plain recomputation (no cache) and reads the output of every pass
with the LM head: <bot> (thought 1), then slot j (thought j + 2). Each line gives the share of
questions (%) whose output names the node h hops from the start ("o": no node of the path).
For slot 1 and later it repeats that slot's pass with the thoughts in its --prev_tokens window
(the inputs of the slots before it) replaced by the <|latent|> token's embedding, by zeros, or
by the slot's own input thought; the slot's input itself is left alone.
"""
import re
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402


def load(ckpt_path, valid_path, k, n_hops):
    """The model, its K-thought prompts for the first 300 questions, and each question's path:
    (B, n_hops + 1) token ids of the start node and the nodes after it, read from the question."""
    tok = data.Tokenizer()
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
    model = train.model_from_checkpoint(ckpt, tok, ckpt_path).eval()
    records = data.load_json_records(valid_path)[:300]
    prompts = [data.inference_prompt(tok, r, "coconut", k) for r in records]
    paths = []
    for i, r in enumerate(records):
        start = re.search(r"Start at (\w)", r.question)
        if start is None:
            raise ValueError(f"{valid_path}: question {i} is not a hops question (no 'Start at X')")
        arrows = dict(re.findall(r"(\w) -> (\w)", r.question))
        path = [start.group(1)]
        for _ in range(n_hops):
            path.append(arrows[path[-1]])
        paths.append([tok.encode(" " + x)[0] for x in path])
    return tok, model, prompts, torch.tensor(paths)


@torch.no_grad()
def main(ckpt_path, valid_path, k):
    k = int(k)
    tok, model, prompts, paths = load(ckpt_path, valid_path, k, 6)  # paths (B, 7)
    if len(set(map(len, prompts))) != 1:
        raise ValueError(f"{valid_path}: prompts of different lengths; this script assumes one")
    ids = torch.tensor(prompts)  # (B, L)
    L = ids.size(1)

    def named(h):  # (B, C) -> (B,) hops from the start of the node the LM head names, or -1
        hit = paths == model.lm_head(h).argmax(-1)[:, None]
        return torch.where(hit.any(1), hit.float().argmax(1), -1)

    def shares(hops):
        return " ".join(f"{'o' if v < 0 else v}:{100 * (hops == v).float().mean():.0f}"
                        for v in range(-1, 7) if (hops == v).any())

    print(f"{ckpt_path}, {k} thoughts, {len(prompts)} questions")
    x = model.transformer.wte(ids)  # (B, L + j, C): the prompt, then the j thoughts fed so far
    latent = model.transformer.wte.weight[tok.latent]
    for j in range(k + 1):
        embeds = model.window(x)
        h = model(embeds=embeds, compute_logits=False)[1][:, -1]  # output of the last position
        print(f"  {'<bot>' if j == 0 else f'slot {j - 1}'} (thought {j + 1}): {shares(named(h))}")
        if j >= 2:  # slot j - 1 has earlier thoughts in its window: replace them
            for name, fill in [("<|latent|>", lambda t: latent.expand_as(t)), ("zeros", torch.zeros_like),
                               ("its own input", lambda t: x[:, -1:].expand_as(t))]:
                xm = x.clone()
                xm[:, L:-1] = fill(xm[:, L:-1])
                em = embeds.clone()
                em[:, -1] = model.window(xm)[:, -1]
                hm = model(embeds=em, compute_logits=False)[1][:, -1]
                print(f"      window's thoughts -> {name}: {shares(named(hm))}")
        x = torch.cat([x, h[:, None]], 1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
