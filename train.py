r"""
Train Coconut, or any of the paper's baselines, with the multi-stage curriculum.

One GPU (the paper's ProsQA recipe, starting from OpenAI's GPT-2):
    python train.py --dataset prosqa
A baseline, from random initialisation:
    python train.py --dataset prosqa --method cot --init scratch
Several GPUs on one node (the batch stays 128 questions; each GPU takes its share of each batch,
in micro-batches of at most --micro_batch_size rows):
    torchrun --standalone --nproc_per_node 8 train.py --dataset prosqa
Several nodes (run on each, with --node_rank 0..N-1):
    torchrun --nnodes 2 --node_rank 0 --nproc_per_node 8 --master_addr HOST --master_port 29500 \
        train.py --dataset prosqa
A tiny run on the CPU, through a whole (short) curriculum to a best.pt that sample.py can read:
    python train.py --dataset prosqa --init scratch --n_layer 2 --n_head 2 --n_embd 64 --device cpu \
        --max_latent_stage 2 --stage0_epochs 1 --epochs_per_stage 1 --epochs 4 \
        --limit_train 64 --limit_valid 16 --out_dir out/tiny
    python sample.py --ckpt out/tiny/best.pt

A run writes into --out_dir: last.pt (every epoch), best.pt (best validation accuracy),
metrics.jsonl (one JSON object per epoch) and, with --keep_epochs, epochN.pt after epoch N.
Killed and started again with the same command, it continues from last.pt.
"""

import argparse
import gc
import json
import os
import random
import time
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

import data
from coconut import coconut_loss, generate, new_stop_head
from gpt2 import GPT, GPTConfig, PRETRAINED

# Batch shapes change at every step (and the passes of a step differ), which fragments PyTorch's
# CUDA memory cache; expandable segments let it grow blocks in place instead of flushing the cache
# and retrying (alloc_retries in metrics.jsonl counts those). Set before any CUDA allocation; an
# explicit PYTORCH_CUDA_ALLOC_CONF wins.
os.environ.setdefault("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True")

# -----------------------------------------------------------------------------
# configuration: the paper's recipe per dataset; every value can be overridden by a flag

PRESETS = {
    # c thoughts per step, latent stages, epochs per stage (stage 0 may last longer), epochs
    "prosqa": dict(c_thought=1, max_latent_stage=6, epochs_per_stage=5, stage0_epochs=5, epochs=50),
    "prontoqa": dict(c_thought=1, max_latent_stage=6, epochs_per_stage=5, stage0_epochs=5, epochs=50),
    # GSM8k: 3 latent stages, then an extra stage that keeps 3 x 2 thoughts and drops all language;
    # the released recipe starts from a CoT checkpoint (--init out/gsm8k-cot/best.pt) instead of
    # training stage 0 in the same run
    "gsm8k": dict(c_thought=2, max_latent_stage=3, epochs_per_stage=3, stage0_epochs=6, epochs=25),
}


def get_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", choices=sorted(PRESETS), help="default: prosqa (--eval_only: the checkpoint's)")
    p.add_argument("--method", choices=data.METHODS, default="coconut")
    # model
    p.add_argument("--init", default="gpt2", help="gpt2 | gpt2-medium | ... (OpenAI's weights), scratch "
                   "(random init of the size below), a .safetensors file/folder, or a checkpoint .pt of this trainer")
    p.add_argument("--n_layer", type=int, default=12, help="model size for --init scratch")
    p.add_argument("--n_head", type=int, default=12)
    p.add_argument("--n_embd", type=int, default=768)
    p.add_argument("--block_size", type=int, default=1024)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--prev_tokens", type=int, default=0,
                   help="--init scratch, not GPT-2: each position's input also gets the K inputs before it "
                        "(token embeddings or thoughts; gpt2.GPT.window); 0 = plain GPT-2")
    # curriculum (defaults from the dataset's preset)
    p.add_argument("--c_thought", type=int, help="continuous thoughts per removed reasoning step")
    p.add_argument("--max_latent_stage", type=int, help="number of latent stages")
    p.add_argument("--epochs_per_stage", type=int)
    p.add_argument("--stage0_epochs", type=int, help="epochs of stage 0 (plain CoT)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--no_pad_latent", action="store_true",
                   help="after the last stage use min(steps, max stage) x c thoughts instead of always the "
                        "maximum (needs --stop_head: at test time the number of steps is not known)")
    p.add_argument("--uniform_prob", type=float, default=0.0, help="probability of training an example at a random stage")
    p.add_argument("--stop_head", action="store_true",
                   help="learn when to stop thinking (a small MLP on the thoughts) instead of a fixed count; "
                        "informative with --no_pad_latent or --uniform_prob")
    p.add_argument("--question_loss", action="store_true",
                   help="also train next-token prediction on the question's tokens (not the paper's recipe, "
                        "where only the chain and answer carry a loss; tried for models from scratch, see README)")
    p.add_argument("--no_eot", action="store_true",
                   help="Coconut without <eot>: the last thought slot predicts the first token of the text "
                        "after the thoughts (not the paper's recipe; for models from scratch, see README)")
    p.add_argument("--icot_tokens_per_epoch", type=int, default=8, help="iCoT: chain tokens removed per epoch")
    p.add_argument("--icot_lambda", type=float, default=4.0, help="iCoT: removal smoothing; 0 = off")
    # optimisation (the paper: AdamW, lr 1e-4, weight decay 0.01, effective batch 128, no schedule)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--weight_decay", type=float, default=0.01)
    p.add_argument("--warmup_steps", type=int, default=0, help="linear warm-up after every optimizer reset")
    p.add_argument("--grad_clip", type=float, default=0.0, help="clip the gradient norm; 0 = off")
    p.add_argument("--max_skipped_steps", type=int, default=10,
                   help="steps with a non-finite gradient are skipped; stop when an epoch has more")
    p.add_argument("--batch_size", type=int, default=128, help="questions per optimizer step, over all GPUs")
    p.add_argument("--micro_batch_size", type=int, default=32,
                   help="most rows per forward pass on one GPU (gradients accumulate over micro-batches)")
    p.add_argument("--reset_optimizer", choices=("stage", "epoch"), default="stage",
                   help="stage: a fresh AdamW when the curriculum stage changes (paper); epoch: every epoch (released code)")
    # data
    p.add_argument("--data_dir", default="data")
    p.add_argument("--train_file", help="use this file instead of <data_dir>/<dataset>'s train split")
    p.add_argument("--valid_file", help="use this file instead of the validation split "
                   "(--eval_only: by default the file the run validated on)")
    p.add_argument("--limit_train", type=int, default=0, help="use only the first N training questions (0 = all)")
    p.add_argument("--limit_valid", type=int, default=0)
    p.add_argument("--drop_long", action="store_true", help="drop (and count) examples longer than the context")
    p.add_argument("--sort_window", type=int, default=64,
                   help="batch questions of similar length: sort within windows of this many batches (0 = off)")
    # evaluation
    p.add_argument("--eval_batch_size", type=int, default=128)
    p.add_argument("--max_new_tokens", type=int, default=128)
    p.add_argument("--eval_only", action="store_true", help="evaluate --ckpt on --split and exit")
    p.add_argument("--ckpt", help="checkpoint to evaluate with --eval_only")
    p.add_argument("--split", default="valid", help="split for --eval_only (valid or test)")
    p.add_argument("--n_latent", type=int, help="--eval_only: thoughts to use (default: the checkpoint's stage)")
    p.add_argument("--fixed_thoughts", action="store_true",
                   help="--eval_only: ignore the checkpoint's stop head, always use every thought")
    # system
    p.add_argument("--out_dir", help="default: out/<dataset>-<method>")
    p.add_argument("--resume", action="store_true",
                   help="insist on continuing from <out_dir>/last.pt (a run always continues from it when it exists)")
    p.add_argument("--keep_epochs", action="store_true",
                   help="also keep each epoch's checkpoint as <out_dir>/epochN.pt (to probe or restart any stage)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--compile", type=int, default=0,
                   help="1: torch.compile the transformer blocks (compile_blocks). Off by default until "
                        "measured faster on a GPU (README, Speed)")
    p.add_argument("--log_interval", type=int, default=10, help="optimizer steps between log lines")
    p.add_argument("--peak_tflops", type=float, default=989.0, help="for MFU: bf16 dense peak of the GPU (H100 SXM)")
    args = p.parse_args(argv)

    if args.eval_only:  # the checkpoint says what it is; only the flags given override it
        return check_eval_args(p, args)
    args.dataset = args.dataset or "prosqa"
    for k, v in PRESETS[args.dataset].items():  # fill what the command line left open
        if getattr(args, k) is None:
            setattr(args, k, v)
    args.out_dir = args.out_dir or f"out/{args.dataset}-{args.method}"
    # bad flags fail here, before any work starts
    if args.c_thought < 1:
        p.error(f"--c_thought must be >= 1, got {args.c_thought}")
    for name in ("max_latent_stage", "epochs_per_stage", "stage0_epochs", "epochs", "limit_train", "limit_valid"):
        if getattr(args, name) < 0:
            p.error(f"--{name} must be >= 0, got {getattr(args, name)}")
    if args.epochs_per_stage < 1:
        p.error("--epochs_per_stage must be >= 1")
    if not 0.0 <= args.uniform_prob <= 1.0:
        p.error(f"--uniform_prob must be in [0, 1], got {args.uniform_prob}")
    if args.stop_head and args.method not in data.LATENT_METHODS:
        p.error(f"--stop_head needs a method with continuous thoughts {data.LATENT_METHODS}")
    if args.uniform_prob > 0 and args.method not in data.CURRICULUM_METHODS:
        p.error(f"--uniform_prob (stage mixing) needs a curriculum method {data.CURRICULUM_METHODS}")
    if args.no_eot and (args.method not in data.LATENT_METHODS or args.stop_head):
        p.error(f"--no_eot applies to the methods with continuous thoughts {data.LATENT_METHODS}, "
                "without --stop_head (which decides when <eot> comes)")
    if args.no_pad_latent and not args.stop_head:
        p.error("--no_pad_latent trains each question with as many thoughts as it has steps; at test time "
                "that number is unknown, so it needs --stop_head to decide when to stop thinking")
    for name in ("lr", "batch_size", "micro_batch_size", "eval_batch_size", "log_interval", "block_size"):
        if getattr(args, name) <= 0:
            p.error(f"--{name} must be positive, got {getattr(args, name)}")
    if args.resume and not (Path(args.out_dir) / "last.pt").exists():
        p.error(f"--resume: {Path(args.out_dir) / 'last.pt'} does not exist")
    if args.prev_tokens < 0:
        p.error(f"--prev_tokens must be >= 0, got {args.prev_tokens}")
    if args.prev_tokens and args.init != "scratch":
        p.error("--prev_tokens is for --init scratch: a pretrained model or checkpoint keeps its own "
                "architecture")
    if args.init != "scratch" and args.init not in PRETRAINED and not Path(args.init).exists():
        p.error(f"--init {args.init!r}: not gpt2/gpt2-medium/gpt2-large/gpt2-xl/scratch and no such file")
    return args


# -----------------------------------------------------------------------------
# the curriculum: which stage an epoch trains, how many thoughts it uses


def thoughts_at_stage(args, stage):
    """Continuous thoughts (or pause tokens) at inference for a model trained at this stage."""
    if args.method in ("coconut", "pause-as-thought"):
        return min(stage, args.max_latent_stage) * args.c_thought
    if args.method in ("no-curriculum", "pause"):
        return args.max_latent_stage * args.c_thought
    return 0


def check_eval_args(p, args):
    if not args.ckpt:
        p.error("--eval_only needs --ckpt")
    if not Path(args.ckpt).is_file():
        p.error(f"--ckpt {args.ckpt}: no such file")
    if args.eval_batch_size <= 0:
        p.error(f"--eval_batch_size must be positive, got {args.eval_batch_size}")
    return args


def is_selectable(args, stage, epoch, longest_chain):
    """Whether this epoch's model answers as the method does at test time, so that it may become
    best.pt: Coconut and its variants only in the final stage, once every language step is gone
    (as the paper selects); iCoT once its schedule has removed even the longest chain."""
    if args.method in data.CURRICULUM_METHODS:
        return stage > args.max_latent_stage
    if args.method == "icot":
        return data.icot_tokens_removed(epoch, args.icot_tokens_per_epoch) >= longest_chain
    return True


def epoch_examples(args, tok, records, epoch, stage, block_size):
    """The training examples of one epoch (stage mixing and iCoT smoothing are random per epoch)."""
    rng = random.Random(args.seed * 100003 + epoch)  # same draws after a resume
    examples = []
    for rec in records:
        icot_removed = 0
        if args.method == "icot":
            icot_removed = data.icot_tokens_removed(epoch, args.icot_tokens_per_epoch, args.icot_lambda, rng)
        examples.append(data.build_example(
            tok, rec, args.method, stage, c=args.c_thought, max_latent_stage=args.max_latent_stage,
            pad_latent_to_max=not args.no_pad_latent, uniform_prob=args.uniform_prob,
            icot_removed=icot_removed, rng=rng, question_loss=args.question_loss, eot=not args.no_eot))
    where = f"training set {args.train_file or args.dataset + ' train'} at stage {stage}"
    return data.check_lengths(examples, block_size, where, drop=args.drop_long)


def share_of_rank(batch, rank, world):
    """This process's rows of a batch. Every rank gets the same number of rows (DDP needs the same
    number of forward/backward calls everywhere): the batch is repeated cyclically up to a
    multiple of world, as DistributedSampler does, which repeats at most world - 1 rows."""
    n = -(-len(batch) // world) * world
    return [batch[i % len(batch)] for i in range(n)][rank::world]


def epoch_batches(args, examples, epoch):
    """The batches (lists of example indices, batch_size each, the last one maybe smaller) of one
    epoch. Shuffled, then sorted by question length within windows of --sort_window batches: a
    batch then holds questions of similar length, which cuts the padding that aligning the thought
    slots needs, while the batches still come in random order."""
    g = torch.Generator().manual_seed(args.seed * 1000 + epoch)  # the same on every rank and after a resume
    order = torch.randperm(len(examples), generator=g).tolist()
    window = args.batch_size * max(args.sort_window, 1)
    batches = []
    for w in range(0, len(order), window):
        chunk = order[w:w + window]
        if args.sort_window > 0:
            chunk.sort(key=lambda i: (examples[i].latent_start, len(examples[i].ids)))
        batches += [chunk[i:i + args.batch_size] for i in range(0, len(chunk), args.batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=g).tolist()]


def optimizer_key(args, epoch, stage):
    """The optimizer is re-created whenever this value changes."""
    if args.reset_optimizer == "epoch" or args.method == "icot":  # iCoT resets at every removal step
        return epoch
    return stage


# -----------------------------------------------------------------------------
# model init


def build_model(args, tok):
    """A fresh model: random, OpenAI's weights, or the weights of an earlier run's checkpoint.
    New special tokens start as copies of the embedding of '<<' (as the released code intends)."""
    if args.init == "scratch":
        config = GPTConfig(block_size=args.block_size, vocab_size=tok.vocab_size, n_layer=args.n_layer,
                           n_head=args.n_head, n_embd=args.n_embd, dropout=args.dropout,
                           prev_tokens=args.prev_tokens)
        return GPT(config)
    if args.init.endswith(".pt"):
        ckpt = torch.load(args.init, map_location="cpu", weights_only=True)
        return model_from_checkpoint(ckpt, tok, args.init)
    pretrained = GPT.from_pretrained(args.init)
    pretrained.grow_vocab(tok.vocab_size, init_from=tok.encode("<<")[0])
    model = GPT(GPTConfig(**{**asdict(pretrained.config), "dropout": args.dropout}))
    model.load_state_dict(pretrained.state_dict())
    return model


def stop_head_from_checkpoint(ckpt, device):
    """The checkpoint's stop head (coconut.py, part 4), or None if it was trained without one."""
    if "stop_head" not in ckpt:
        return None
    n_embd, state = ckpt["model_config"]["n_embd"], ckpt["stop_head"]
    # before 2026-12-06 the head was one linear map (its state: weight and bias)
    head = torch.nn.Linear(n_embd, 1) if set(state) == {"weight", "bias"} else new_stop_head(n_embd)
    head.load_state_dict(state)
    return head.to(device)


def model_from_checkpoint(ckpt, tok, where):
    if "model_config" not in ckpt or "model" not in ckpt:
        raise ValueError(f"{where}: not a checkpoint written by this project's train.py")
    config = GPTConfig(**ckpt["model_config"])
    if config.vocab_size != tok.vocab_size:
        raise ValueError(f"{where}: the checkpoint's vocabulary has {config.vocab_size} tokens, this "
                         f"tokenizer {tok.vocab_size}; it was not trained by this project's train.py")
    model = GPT(config)
    model.load_state_dict(ckpt["model"])
    return model


# -----------------------------------------------------------------------------
# evaluation: batched greedy generation, sharded over ranks


def evaluate(model, tok, records, method, n_latent, batch_size, max_new_tokens, rank=0, world=1,
             stop_head=None, eot=True):
    """Returns (correct, total, generated positions, thoughts used) summed over every rank's shard.
    With a stop head, n_latent is the most thoughts a question may use; eot=False: a model trained
    with --no_eot, which goes on in language right after its last thought."""
    model.eval()
    device = next(model.parameters()).device
    mine = list(range(rank, len(records), world))
    prompts = {i: data.inference_prompt(tok, records[i], method, n_latent) for i in mine}
    for i in mine:  # the prompt, the thoughts, <eot> and at least one answer token must fit
        if len(prompts[i]) + n_latent + 2 > model.config.block_size:
            raise ValueError(f"evaluation question {i}: {len(prompts[i])} prompt tokens and {n_latent} "
                             f"thoughts do not fit the context of {model.config.block_size}")
    mine.sort(key=lambda i: len(prompts[i]))  # similar lengths together: less padding
    latent_method = method in data.LATENT_METHODS
    correct = generated = thoughts = 0
    for start in range(0, len(mine), batch_size):
        idx = mine[start:start + batch_size]
        with autocast(device):
            out = generate(model, [prompts[i] for i in idx], tok.eos,
                           n_latent=n_latent if latent_method else 0,
                           after_thoughts=[tok.eot] if latent_method and eot else [],
                           max_new_tokens=max_new_tokens, stop_head=stop_head)
        for i, tokens in zip(idx, out["tokens"]):
            correct += data.is_correct(tok.decode(tokens), records[i].answer)
        generated += sum(out["n_generated"])
        thoughts += sum(out["n_thoughts"])
    counts = torch.tensor([correct, len(mine), generated, thoughts], dtype=torch.long, device=device)
    if world > 1:
        dist.all_reduce(counts)
    model.train()
    return counts.tolist()


# -----------------------------------------------------------------------------
# helpers: device, precision, checkpoints


def gpu_settings():
    """Kernel choices for speed on a GPU (no effect on the CPU)."""
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    # cuDNN's attention builds a plan for every new sequence length, and here almost every batch
    # has a new one: on an H100 that doubled the time of a step (results/2026-11-24-h100-b)
    torch.backends.cuda.enable_cudnn_sdp(False)


def compile_blocks(model, backend="inductor"):
    """torch.compile each transformer block in place, rather than the whole model.

    A Coconut step is a Python loop of passes whose shapes change every batch and every pass;
    compiled whole, the model was slower than eager (README, Speed). A block is the same few
    operations in every pass, and what costs time in the short thought passes is launching its
    many small kernels: compiled, a block launches a few fused ones instead (whether that makes
    a step faster on a GPU is still to be measured). All blocks share one compiled graph per kind
    of call: no cache (the long pass), a cached pass of one position (a thought, a generated
    token) or of several; with and without gradients. Sizes are dynamic, so a new batch size or
    cache length does not recompile (tests/test_train.py counts the graphs).
    """
    torch._dynamo.config.recompile_limit = 32  # the kinds of call above, with room to spare
    for block in model.transformer.h:
        block.compile(backend=backend, dynamic=True)


def autocast(device):
    # bf16 on CUDA (no loss scaling needed); plain fp32 on the CPU
    return torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()


def to_device(batch, device):
    # pinned host memory lets the copy run asynchronously, overlapping with the GPU's work
    pin = device.type == "cuda"
    return {k: (v.pin_memory() if pin else v).to(device, non_blocking=True) if torch.is_tensor(v) else v
            for k, v in batch.items()}


def save_checkpoint(path, state):
    """Write to a temporary file, then rename: a crash never leaves a half-written checkpoint."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def write_metrics(path, history):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in history))
    os.replace(tmp, path)


def rng_state():
    state = {"python": list(random.getstate()[1]), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state):
    random.setstate((3, tuple(state["python"]), None))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


class LossModule(torch.nn.Module):
    """All n+1 passes of a batch inside one forward call, so that DistributedDataParallel sees one
    forward and one backward per micro-batch, however often the passes reuse the weights."""

    def __init__(self, model, stop_head=None):
        super().__init__()
        self.model = model
        self.stop_head = stop_head

    def forward(self, batch):
        return coconut_loss(self.model, batch, self.stop_head)


def flops_per_token(config, T):
    """Training FLOPs per token: 6 per weight (forward + backward) plus attention over T positions
    (the estimate of the PaLM paper's appendix, as nanoGPT uses it). The LM head is counted at
    every position although we compute it only at labelled ones: MFU errs on the high side."""
    N = 12 * config.n_layer * config.n_embd ** 2 + config.vocab_size * config.n_embd
    N += config.prev_tokens * config.n_embd ** 2  # the map of the earlier inputs (gpt2.GPT.window)
    return 6 * N + 12 * config.n_layer * config.n_embd * T


# -----------------------------------------------------------------------------
# main


def main(argv=None):
    args = get_args(argv)
    # distributed setup: torchrun sets RANK, LOCAL_RANK and WORLD_SIZE
    ddp = "RANK" in os.environ
    if ddp:
        dist.init_process_group(backend="nccl" if args.device.startswith("cuda") else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        if args.device.startswith("cuda"):
            args.device = f"cuda:{int(os.environ['LOCAL_RANK'])}"
            torch.cuda.set_device(args.device)
    else:
        rank, world = 0, 1
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    gpu_settings()
    tok = data.Tokenizer()
    run = evaluate_checkpoint if args.eval_only else train
    result = run(args, tok, device, rank, world)
    if ddp:
        # DDP's wrapper and its reducer sit in a reference cycle, so they outlive train(): free them
        # while the process group is alive, not at interpreter exit after it (where gloo can abort)
        gc.collect()
        dist.destroy_process_group()
    return result


def evaluate_checkpoint(args, tok, device, rank, world):
    """--eval_only: accuracy of a checkpoint; method, dataset and curriculum come from its config."""
    ckpt = torch.load(args.ckpt, map_location="cpu", weights_only=True)
    model = model_from_checkpoint(ckpt, tok, args.ckpt).to(device)
    saved = argparse.Namespace(**ckpt["config"])
    saved.dataset, saved.data_dir = args.dataset or saved.dataset, args.data_dir
    valid_file = args.valid_file
    if valid_file is None and args.split == "valid" and args.dataset is None:
        valid_file = saved.valid_file  # the file the run validated on, if it was given one
    records = load_split(saved, args.split, valid_file)[:args.limit_valid or None]
    n_latent = thoughts_at_stage(saved, ckpt["stage"]) if args.n_latent is None else args.n_latent
    stop_head = None if args.fixed_thoughts else stop_head_from_checkpoint(ckpt, device)
    correct, total, generated, thoughts = evaluate(model, tok, records, saved.method, n_latent,
                                                   args.eval_batch_size, args.max_new_tokens, rank, world,
                                                   stop_head, eot=not getattr(saved, "no_eot", False))
    if rank == 0:
        how = ""
        if saved.method in data.LATENT_METHODS:
            how = f", {thoughts / total:.2f} thoughts per question (at most {n_latent}"
            how += ", stop head)" if stop_head is not None else ")"
        on = valid_file or f"{saved.dataset} {args.split}"
        print(f"{args.ckpt} ({saved.method}) on {on}: accuracy {correct / total:.4f} "
              f"({correct}/{total}), {generated / total:.1f} generated positions per question{how}")
    return correct / total


def train(args, tok, device, rank, world):
    master = rank == 0
    out_dir = Path(args.out_dir)

    # --- the model: fresh, or the state of an interrupted run (checked before any data is read)
    resume_path = out_dir / "last.pt"
    start_epoch, best_acc, history, resume = 0, -1.0, [], None
    if resume_path.exists():
        resume = torch.load(resume_path, map_location="cpu", weights_only=True)
        check_same_run(args, resume["config"], resume_path)
        model = model_from_checkpoint(resume, tok, resume_path)
        start_epoch, best_acc, history = resume["epoch"], resume["best_acc"], resume["history"]
        set_rng_state(resume["rng"])
        if master:
            print(f"resuming from {resume_path} at epoch {start_epoch}")
    else:
        model = build_model(args, tok)
    model.to(device)
    stop_head = None
    if args.stop_head:  # a small probe on the thoughts, trained alongside (coconut.py, part 4)
        stop_head = new_stop_head(model.config.n_embd)
        if resume is not None:
            stop_head.load_state_dict(resume["stop_head"])
        stop_head.to(device)
    if args.compile:
        compile_blocks(model)
    loss_module = LossModule(model, stop_head)
    if world > 1:  # (a batch without thoughts gives the stop head no gradient: DDP must allow that)
        loss_module = DDP(loss_module, device_ids=[device.index] if device.type == "cuda" else None,
                          find_unused_parameters=stop_head is not None)

    # --- data
    train_records = load_split(args, "train", args.train_file)[:args.limit_train or None]
    valid = load_split(args, "valid", args.valid_file)[:args.limit_valid or None]
    longest_chain = max(sum(len(tok.encode(s + "\n")) for s in r.steps) for r in train_records)
    if master:
        out_dir.mkdir(parents=True, exist_ok=True)
        share = -(-args.batch_size // world)
        print(f"{args.method} on {args.dataset}: {len(train_records)} train / {len(valid)} valid questions, "
              f"{model.num_params() / 1e6:.1f}M parameters, {world} process(es), {share} questions per "
              f"process per step in micro-batches of at most {args.micro_batch_size}")

    # --- the loop over epochs
    optimizer, opt_key, n_updates = None, None, 0
    examples, examples_stage = None, None
    t_run = time.time()
    for epoch in range(start_epoch, args.epochs):
        t_epoch = time.time()
        stage = 0  # the baselines without a curriculum have no stages
        if args.method in data.CURRICULUM_METHODS:
            stage = data.stage_for_epoch(epoch, args.epochs_per_stage, args.max_latent_stage, args.stage0_epochs)
        key = optimizer_key(args, epoch, stage)
        if key != opt_key:  # a fresh AdamW at each stage (paper), or each epoch
            optimizer = model.configure_optimizer(args.lr, args.weight_decay)
            if stop_head is not None:
                optimizer.add_param_group({"params": list(stop_head.parameters()), "weight_decay": 0.0})
            opt_key, n_updates = key, 0
            if resume is not None and resume["opt_key"] == key:  # the interrupted stage goes on
                for group in resume["optimizer"]["param_groups"]:  # a checkpoint written before AdamW
                    group["fused"] = True  # was fused on the CPU too says False; the step skip needs it
                optimizer.load_state_dict(resume["optimizer"])
                n_updates = resume["n_updates"]
        resume = None

        # every rank builds the same examples and batches, and takes its share of each batch. The
        # examples change with the stage, or every epoch when drawn at random (stage mixing, iCoT);
        # otherwise a stage's are reused (about 0.5 s per ProsQA epoch saved, tokenizer cache warm)
        if args.uniform_prob > 0 or args.method == "icot" or stage != examples_stage:
            examples = epoch_examples(args, tok, train_records, epoch, stage, model.config.block_size)
            examples_stage = stage
        batches = []  # per optimizer step, this rank's micro-batches (lists of example indices)
        for batch in epoch_batches(args, examples, epoch):
            mine = share_of_rank(batch, rank, world)
            batches.append([mine[i:i + args.micro_batch_size] for i in range(0, len(mine), args.micro_batch_size)])

        loss_sum, skipped = torch.zeros((), device=device), torch.zeros((), dtype=torch.long, device=device)
        tokens_seen, t_log = 0, time.time()
        for i, micro_batches in enumerate(batches):
            lr = args.lr * min(1.0, (n_updates + 1) / args.warmup_steps) if args.warmup_steps else args.lr
            for group in optimizer.param_groups:
                group["lr"] = lr
            rows = sum(len(idx) for idx in micro_batches)
            step_loss = torch.zeros((), device=device)
            for m, idx in enumerate(micro_batches):
                batch = to_device(data.collate([examples[j] for j in idx], tok), device)
                # DDP all-reduces gradients once per step: not after the other micro-batches
                last = m == len(micro_batches) - 1
                with loss_module.no_sync() if world > 1 and not last else nullcontext():
                    with autocast(device):
                        loss = loss_module(batch) * (len(idx) / rows)  # the step's loss: a mean over rows
                    loss.backward()
                step_loss += loss.detach()
                tokens_seen += batch["n_tokens"]
                T_last = batch["input_ids"].size(1)
            # the gradient norm (clipped when asked). A step whose gradient is not finite is skipped,
            # not taken: one NaN/inf in AdamW would turn every weight into NaN (seen on the H100 from
            # random init). The skip happens on the device: given found_inf = 1, the fused AdamW
            # kernel leaves weights and moments as they are, so the host never waits for the GPU here
            norm = torch.nn.utils.clip_grad_norm_(loss_module.parameters(), args.grad_clip or float("inf"))
            finite = torch.isfinite(norm)  # () bool, on the device
            optimizer.found_inf = (~finite).float()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            n_updates += 1  # steps taken or skipped: the warm-up counts both
            skipped += ~finite
            loss_sum += torch.where(finite, step_loss, 0.0)
            if i % args.log_interval == 0 or i == len(batches) - 1:  # the host reads the device only here
                n_skipped = int(skipped.item())
                if n_skipped > args.max_skipped_steps:
                    raise SystemExit(f"epoch {epoch}: {n_skipped} steps with a non-finite gradient (more than "
                                     f"--max_skipped_steps {args.max_skipped_steps}); stopping without "
                                     f"saving this epoch. {out_dir / 'last.pt'} holds the epoch before: "
                                     f"try a lower --lr or --grad_clip 1")
            if master and (i % args.log_interval == 0 or i == len(batches) - 1):
                dt = time.time() - t_log
                tps = tokens_seen * world / max(dt, 1e-9)
                mfu = tps * flops_per_token(model.config, T_last) / (args.peak_tflops * 1e12)
                done = (epoch - start_epoch) * len(batches) + i + 1
                eta = (time.time() - t_run) / done * ((args.epochs - start_epoch) * len(batches) - done)
                print(f"epoch {epoch} stage {stage} step {i + 1}/{len(batches)} | loss {step_loss.item():.4f} | "
                      f"lr {lr:.2e} | {tps:,.0f} tok/s | MFU {100 * mfu:.1f}% | ETA {eta / 60:.1f} min"
                      + (f" | {n_skipped} steps skipped (gradient not finite)" if n_skipped else ""))
                tokens_seen, t_log = 0, time.time()
        skipped = int(skipped.item())
        train_loss = loss_sum / max(len(batches) - skipped, 1)
        if world > 1:  # the mean over ranks, for the log
            dist.all_reduce(train_loss)
            train_loss = train_loss / world
        train_loss = train_loss.item()

        # --- validation accuracy with the thoughts this stage uses
        t_eval = time.time()
        n_latent = thoughts_at_stage(args, stage)
        correct, total, generated, thoughts = evaluate(model, tok, valid, args.method, n_latent,
                                                       args.eval_batch_size, args.max_new_tokens, rank, world,
                                                       stop_head, eot=not args.no_eot)
        acc = correct / max(total, 1)
        improved = is_selectable(args, stage, epoch, longest_chain) and acc > best_acc
        if improved:
            best_acc = acc
        if master:
            record = dict(epoch=epoch, stage=stage, train_loss=train_loss, val_acc=acc,
                          val_tokens_per_question=generated / max(total, 1), n_latent=n_latent,
                          val_thoughts_per_question=thoughts / max(total, 1),
                          skipped_steps=skipped, seconds=time.time() - t_epoch, eval_seconds=time.time() - t_eval)
            if device.type == "cuda":  # peak memory, and how often the allocator had to free its cache
                stats = torch.cuda.memory_stats(device)  # and retry (slow: a sign of fragmentation)
                record.update(max_memory_gb=stats.get("allocated_bytes.all.peak", 0) / 2**30,
                              alloc_retries=stats.get("num_alloc_retries", 0))
            print(json.dumps(record))
            history.append(record)
            state = dict(model=model.state_dict(), model_config=asdict(model.config),
                         optimizer=optimizer.state_dict(), opt_key=opt_key, n_updates=n_updates, epoch=epoch + 1,
                         stage=stage, best_acc=best_acc, history=history, config=vars(args), rng=rng_state())
            if stop_head is not None:
                state["stop_head"] = stop_head.state_dict()
            if improved:
                save_checkpoint(out_dir / "best.pt", state)
            save_checkpoint(out_dir / "last.pt", state)
            if args.keep_epochs:
                save_checkpoint(out_dir / f"epoch{epoch}.pt", state)
            # metrics.jsonl is rewritten from the checkpoint's history: after a kill and a resume
            # it holds each epoch exactly once
            write_metrics(out_dir / "metrics.jsonl", history)
        if world > 1:
            dist.barrier()
    if master:
        if best_acc < 0:
            print(f"done; no epoch reached the final stage yet, so there is no best.pt "
                  f"({(time.time() - t_run) / 60:.1f} min)")
        else:
            print(f"done: best validation accuracy {best_acc:.4f} in {(time.time() - t_run) / 60:.1f} min")
    return best_acc


def load_split(args, split, path):
    if path:  # an explicit file: JSON (ProsQA, ProntoQA) or iCoT text lines (GSM8k)
        return data.load_gsm8k_txt(path) if path.endswith(".txt") else data.load_json_records(path)
    return data.load_dataset(args.dataset, split, args.data_dir)


def check_same_run(args, saved, path):
    """Resuming with other settings would silently mix two runs: refuse."""
    ignore = {"epochs", "log_interval", "eval_batch_size", "compile", "device", "peak_tflops", "resume",
              "max_skipped_steps", "keep_epochs"}
    # a flag added after the checkpoint was written is absent from it: it ran with the flag's default
    defaults = vars(get_args([]))
    diff = {k: (saved.get(k, defaults[k]), v) for k, v in vars(args).items()
            if k not in ignore and saved.get(k, defaults[k]) != v}
    if diff:
        raise SystemExit(f"{path} belongs to a run with other settings {diff}; "
                         f"use another --out_dir or delete it")


if __name__ == "__main__":
    main()
