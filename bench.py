r"""
Benchmark training and evaluation speed on ProsQA, the way train.py runs them.

    python bench.py                         # GPT-2 124M on the GPU: every figure of the speed goals
    python bench.py --batch_size 32         # the batch of the reference numbers (authors' code)
    python bench.py --device cpu --n_layer 2 --n_head 2 --n_embd 64 --batch_size 8 --steps 2 \
        --eval_questions 16 --stages 0 6    # a smoke test on the CPU

Prints, for each curriculum stage asked for: the time of one optimizer step on the same
questions (the stage only changes how many steps are replaced by thoughts), trained tokens per
second (real tokens, padding excluded), MFU and, on a GPU, the peak memory; the ratio of the
stage-6 step (6 thoughts, or 6 x --c_thought) to the CoT step; the time to evaluate
--eval_questions questions with as many thoughts; and an estimate of the whole 50-epoch ProsQA
curriculum (17,886 questions, validation on 300 every epoch) from those numbers.
Random weights (speed does not depend on them); questions from the ProsQA generator.
"""

import argparse
import json
import time

import torch

import data
from gpt2 import GPT, GPTConfig
from train import LossModule, autocast, compile_blocks, evaluate, flops_per_token, gpu_settings, to_device


def get_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--n_layer", type=int, default=12)
    p.add_argument("--n_head", type=int, default=12)
    p.add_argument("--n_embd", type=int, default=768)
    p.add_argument("--prev_tokens", type=int, default=0, help="as train.py --prev_tokens (not GPT-2)")
    p.add_argument("--batch_size", type=int, default=128, help="questions per optimizer step (one micro-batch)")
    p.add_argument("--steps", type=int, default=10, help="timed steps per stage (after 3 warm-up steps)")
    p.add_argument("--stages", type=int, nargs="+", default=list(range(8)), help="curriculum stages to time")
    p.add_argument("--c_thought", type=int, default=1,
                   help="thoughts per removed step, as train.py --c_thought (the paper's ProsQA: 1)")
    p.add_argument("--eval_questions", type=int, default=500)
    p.add_argument("--eval_batch_size", type=int, default=500)
    p.add_argument("--compile", type=int, default=0, help="1: compile the blocks, as train.py --compile 1")
    p.add_argument("--peak_tflops", type=float, default=989.0)
    p.add_argument("--profile", action="store_true",
                   help="also profile one step per stage and print the operations that take the most time")
    p.add_argument("--json", help="also write the figures to this file")
    return p.parse_args(argv)


def generated_prosqa(n, seed):
    return [data.record_from_json(item, f"generated record {i}") for i, item in enumerate(data.generate_prosqa(n, seed))]


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def training_step(model, optimizer, batch, device):
    """One optimizer step (forward, backward, AdamW) on one collated batch, as train.py takes it
    less its gradient clipping (a few fused kernels for all the weights)."""
    with autocast(device):
        loss = model(batch)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    sync(device)


def time_training_step(model, optimizer, batch, device):
    """Seconds of one training step."""
    sync(device)
    t = time.time()
    training_step(model, optimizer, batch, device)
    return time.time() - t


def profile_step(model, optimizer, batch, device):
    """The table of the operations of one training step, most time first (GPU time on a GPU):
    where a stage's extra time goes."""
    activities = [torch.profiler.ProfilerActivity.CPU]
    if device.type == "cuda":
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    with torch.profiler.profile(activities=activities) as prof:
        training_step(model, optimizer, batch, device)
    key = "self_cuda_time_total" if device.type == "cuda" else "self_cpu_time_total"
    return prof.key_averages().table(sort_by=key, row_limit=12)


def main(argv=None):
    args = get_args(argv)
    device = torch.device(args.device)
    gpu_settings()
    torch.manual_seed(0)
    tok = data.Tokenizer()
    config = GPTConfig(vocab_size=tok.vocab_size, n_layer=args.n_layer, n_head=args.n_head,
                       n_embd=args.n_embd, prev_tokens=args.prev_tokens)
    model = GPT(config).to(device)
    if args.compile:
        compile_blocks(model)
    loss_module = LossModule(model)
    optimizer = model.configure_optimizer(1e-4, 0.01)
    n_batches = 3 + args.steps  # warm-up, then timed: the same questions at every stage
    records = generated_prosqa(args.batch_size * n_batches, seed=123)
    print(f"{model.num_params() / 1e6:.1f}M parameters on {device}, batch {args.batch_size}, "
          f"{args.steps} timed steps per stage")

    results = {"stages": {}}
    for stage in args.stages:
        examples = [data.build_example(tok, r, "coconut", stage, c=args.c_thought) for r in records]
        batches = [data.collate(examples[i:i + args.batch_size], tok)
                   for i in range(0, len(examples), args.batch_size)]
        times, tokens = [], 0
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats()
        for i, batch in enumerate(batches):
            dt = time_training_step(loss_module, optimizer, to_device(batch, device), device)
            if i >= 3:
                times.append(dt)
                tokens += batch["n_tokens"]
        step = sum(times) / len(times)
        tps = tokens / sum(times)
        T = sum(b["input_ids"].size(1) for b in batches[3:]) / len(batches[3:])
        mfu = tps * flops_per_token(config, T) / (args.peak_tflops * 1e12)
        n_latent = batches[0]["max_latent"]
        results["stages"][stage] = dict(step_s=step, tokens_per_s=tps, mfu=mfu, thoughts=n_latent,
                                        tokens_per_question=tokens / (len(times) * args.batch_size))
        memory = ""
        if device.type == "cuda":  # the peak of the stage: does a batch of this size fit?
            results["stages"][stage]["max_memory_gb"] = torch.cuda.max_memory_allocated() / 1e9
            memory = f" | peak memory {results['stages'][stage]['max_memory_gb']:.1f} GB"
        print(f"stage {stage} ({n_latent} thoughts): {step * 1000:8.1f} ms/step | {tps:12,.0f} tok/s | "
              f"MFU {100 * mfu:5.1f}%{memory}")
        if args.profile:
            print(profile_step(loss_module, optimizer, to_device(batches[-1], device), device))

    stages = results["stages"]
    if 0 in stages and 6 in stages:
        results["ratio_stage6_to_cot"] = stages[6]["step_s"] / stages[0]["step_s"]
        print(f"stage 6 ({stages[6]['thoughts']} thoughts) step / CoT step = "
              f"{results['ratio_stage6_to_cot']:.2f}")

    # evaluation: batched greedy generation with the final stage's thoughts, as train.py evaluates
    questions = generated_prosqa(args.eval_questions, seed=7)
    n_eval = 6 * args.c_thought  # ProsQA's 6 latent stages
    evaluate(model, tok, questions[:8], "coconut", n_eval, args.eval_batch_size, 32)  # warm-up
    sync(device)
    t = time.time()
    evaluate(model, tok, questions, "coconut", n_eval, args.eval_batch_size, 32)
    sync(device)
    results["eval_s"] = time.time() - t
    print(f"evaluating {len(questions)} questions with {n_eval} thoughts: {results['eval_s']:.2f} s")

    # the 50-epoch ProsQA curriculum: epochs 5k..5k+4 train stage k, stage 7 from epoch 35 on
    if set(range(8)) <= set(stages):
        steps_per_epoch = -(-17886 // args.batch_size)
        epochs = [min(e // 5, 7) for e in range(50)]
        train_s = sum(stages[k]["step_s"] * steps_per_epoch for k in epochs)
        eval_s = 50 * results["eval_s"] * 300 / len(questions)
        results["curriculum_min"] = (train_s + eval_s) / 60
        print(f"estimated 50-epoch ProsQA curriculum: {results['curriculum_min']:.1f} min "
              f"(training {train_s / 60:.1f} min, evaluation {eval_s / 60:.1f} min)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == "__main__":
    main()
