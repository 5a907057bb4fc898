"""
Run a trained Coconut model on one question and show what its continuous thoughts encode.

    python sample.py --latent 6                      # ProsQA validation question 0, 6 thoughts
    python sample.py --latent 6 --index 17           # another question of the split
    python sample.py --question "Every wumpus is a yumpus. Tom is a wumpus. Is Tom a yumpus or a lempus?"
    python sample.py --ckpt out/prontoqa-coconut/best.pt --latent 6 --index 3
    python sample.py --tree --index 5                # ProsQA: the latent search tree with values

A continuous thought is a hidden state, not a token, but the LM head can still read it: for each
thought this prints the tokens it would put most probability on if it had to speak, then the
answer the model writes after <eot>. With --tree (ProsQA), it also forces the model back into
language after 1 and 2 thoughts and shows the probability it gives each node of the graph's
frontier: the "latent search tree" of the paper (see analysis.py).
"""

import argparse
from pathlib import Path

import torch

import data
from coconut import generate
from train import model_from_checkpoint, stop_head_from_checkpoint, thoughts_at_stage

DEFAULT_CKPT = "out/prosqa-coconut/best.pt"


def get_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", default=DEFAULT_CKPT, help="a checkpoint written by train.py")
    p.add_argument("--latent", type=int, help="number of continuous thoughts (default: the checkpoint's)")
    p.add_argument("--question", help="a question of your own (default: --index of --split)")
    p.add_argument("--index", type=int, default=0, help="which question of the split")
    p.add_argument("--split", default="valid")
    p.add_argument("--data_file", help="read the question from this file instead of the checkpoint's dataset")
    p.add_argument("--data_dir", default="data")
    p.add_argument("--top", type=int, default=5, help="tokens shown per thought")
    p.add_argument("--tree", action="store_true", help="ProsQA: show the frontier values after 1 and 2 thoughts")
    p.add_argument("--max_new_tokens", type=int, default=128)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args(argv)
    if args.latent is not None and args.latent < 0:
        p.error(f"--latent must be >= 0, got {args.latent}")
    return args


def load_record(args, saved):
    """The question to run: given on the command line, or one record of a dataset split."""
    if args.question:
        return data.Record(question=args.question, steps=[], answer="")
    if args.data_file:
        f = args.data_file
        records = data.load_gsm8k_txt(f) if f.endswith(".txt") else data.load_json_records(f)
    else:
        records = data.load_dataset(saved.dataset, args.split, args.data_dir)
    if not 0 <= args.index < len(records):
        raise SystemExit(f"--index {args.index} is out of range: the split has {len(records)} questions")
    return records[args.index]


def main(argv=None):
    args = get_args(argv)
    if not Path(args.ckpt).is_file():
        raise SystemExit(f"no checkpoint at {args.ckpt}. Train one with\n"
                         f"    python train.py --dataset prosqa\n"
                         f"(it writes out/prosqa-coconut/best.pt), or pass --ckpt PATH.")
    ckpt = torch.load(args.ckpt, map_location="cpu", weights_only=True)
    saved = argparse.Namespace(**ckpt["config"])
    tok = data.Tokenizer()
    model = model_from_checkpoint(ckpt, tok, args.ckpt).to(args.device).eval()
    n_latent = thoughts_at_stage(saved, ckpt["stage"]) if args.latent is None else args.latent
    stop_head = stop_head_from_checkpoint(ckpt, args.device)  # None unless trained with --stop_head
    rec = load_record(args, saved)

    latent_method = saved.method in data.LATENT_METHODS
    no_eot = getattr(saved, "no_eot", False)  # trained with --no_eot: language right after the thoughts
    prompt = data.inference_prompt(tok, rec, saved.method, n_latent)
    out = generate(model, [prompt], tok.eos, n_latent=n_latent if latent_method else 0,
                   after_thoughts=[tok.eot] if latent_method and not no_eot else [],
                   max_new_tokens=args.max_new_tokens,
                   stop_head=stop_head)

    print(f"{saved.method} model {args.ckpt} (trained {ckpt['epoch']} epochs, stage {ckpt['stage']})")
    print(f"\nQuestion:\n{rec.question}\n")
    if latent_method:
        probs = out["thought_logits"][0].float().softmax(-1)  # (n_latent, V)
        used = out["n_thoughts"][0]
        if stop_head is not None:
            print(f"the stop head ended thinking after {used} of at most {n_latent} thoughts")
        for j in range(used):
            p, ids = probs[j].topk(args.top)
            shown = "  ".join(f"{tok.decode([i])!r} {q:.3f}" for q, i in zip(p.tolist(), ids.tolist()))
            print(f"thought {j + 1}: {shown}")
    text = tok.decode(out["tokens"][0])
    print(f"\nGenerated after the prompt:\n{text}")
    if rec.answer:
        verdict = "correct" if data.is_correct(text, rec.answer) else "wrong"
        print(f"\nGold answer: {rec.answer}  ->  {verdict}")
    if args.tree:
        if rec.graph is None or not latent_method:
            raise SystemExit("--tree needs a ProsQA question with its graph (--index of a ProsQA split) "
                             "and a model with continuous thoughts")
        import analysis  # only here: it is the analysis script's machinery
        values = {k: analysis.frontier_values(model, tok, rec, k, eot=not no_eot) for k in (1, 2)}
        print("\nLatent search tree (value = probability of the node's concept after k thoughts):")
        print(analysis.format_search_tree(rec.graph, values))


if __name__ == "__main__":
    main()
