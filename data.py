"""
Everything about data for Coconut: the tokenizer, the three datasets (ProsQA, ProntoQA, GSM8k),
their loaders, generators and downloads, the training example of every method at every curriculum
stage, batching, and answer checking. Reads top to bottom:

    tokenizer -> records -> training examples of every method -> batching -> answers
    -> ProsQA (generator, checks, statistics) -> ProntoQA (same) -> GSM8k -> downloads -> command line

Datasets live in data/<name>/ (see load_dataset). ProsQA's and GSM8k's released files are downloaded
on first use; when that is impossible (offline), make them with the command line:

    python data.py generate-prosqa --n 17886 --seed 0 --out data/prosqa/prosqa_train.json
    python data.py generate-prontoqa --n 9000 --seed 0 --out data/prontoqa/prontoqa_train.json
    python data.py stats prosqa data/prosqa/prosqa_train.json --against data/prosqa/prosqa_valid.json
    python data.py gsm8k-offline --original train_original.txt --valid data/gsm8k/valid.txt \\
        --out data/gsm8k/train.txt

The tokenizer needs OpenAI's GPT-2 BPE files; offline, point TIKTOKEN_CACHE_DIR at a folder that
holds them (see the README).
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import tiktoken
import torch

# -----------------------------------------------------------------------------
# tokenizer: GPT-2 BPE plus four special tokens appended after <|endoftext|> (50256)

BOT = "<|start-latent|>"  # the paper's <bot>: begin of thought
EOT = "<|end-latent|>"    # the paper's <eot>: end of thought (not <|endoftext|>!)
LATENT = "<|latent|>"     # placeholder whose input embedding is replaced by a continuous thought
PAUSE = "<pause>"         # pause-token baselines
VOCAB_SIZE = 50261


class Tokenizer:
    """tiktoken's GPT-2 encoding with ids 50257..50260 for BOT, EOT, LATENT, PAUSE."""

    def __init__(self):
        try:
            self.enc = tiktoken.get_encoding("gpt2")
        except Exception as e:  # tiktoken downloads its BPE files on first use
            raise RuntimeError(
                f"tiktoken could not load GPT-2's BPE files ({type(e).__name__}); without internet, set "
                f"TIKTOKEN_CACHE_DIR to the absolute path of a folder that holds them (now: "
                f"{os.environ.get('TIKTOKEN_CACHE_DIR') or 'unset'}; README: Offline)") from e
        assert self.enc.n_vocab == 50257, self.enc.n_vocab
        self.eos = self.enc.eot_token  # 50256, <|endoftext|>
        self.bot, self.eot, self.latent, self.pause = 50257, 50258, 50259, 50260
        self.vocab_size = VOCAB_SIZE
        self.special_names = {self.eos: "<|endoftext|>", self.bot: BOT, self.eot: EOT,
                              self.latent: LATENT, self.pause: PAUSE}
        self.cache = {}  # text -> ids: every epoch re-builds its examples from the same strings

    def encode(self, text):
        # encode_ordinary: special-token strings inside the text stay plain text, so data can never
        # smuggle in a <bot> or an <|endoftext|>; special ids are only ever placed by code below
        if text not in self.cache:
            self.cache[text] = tuple(self.enc.encode_ordinary(text))
        return list(self.cache[text])

    def decode(self, ids):
        parts, run = [], []  # run: ordinary ids decoded together (a character may span tokens)
        for i in ids:
            i = int(i)
            if i in self.special_names:
                parts.append(self.enc.decode(run))
                parts.append(self.special_names[i])
                run = []
            elif 0 <= i < self.eos:
                run.append(i)
            else:
                raise ValueError(f"token id {i} is outside the vocabulary (0..{self.vocab_size - 1})")
        parts.append(self.enc.decode(run))
        return "".join(parts)

# -----------------------------------------------------------------------------
# records: one question of any dataset, and the JSON format of ProsQA and ProntoQA

GRAPH_FIELDS = ("idx_to_symbol", "edges", "root", "target", "neg_target")  # ProsQA only


@dataclass
class Record:
    question: str
    steps: list[str]
    answer: str
    graph: dict | None = None  # ProsQA only: the GRAPH_FIELDS of the released JSON


def check_record(rec, where):
    """Raise ValueError (message starts with `where`) unless rec is a usable Record."""
    if not isinstance(rec.question, str) or not rec.question.strip():
        raise ValueError(f"{where}: empty question")
    if not isinstance(rec.steps, list) or not all(isinstance(s, str) for s in rec.steps):
        raise ValueError(f"{where}: 'steps' must be a list of strings")
    if any(not s.strip() for s in rec.steps):
        raise ValueError(f"{where}: empty step")
    if not isinstance(rec.answer, str) or not rec.answer.strip():
        raise ValueError(f"{where}: empty answer")


def _json_record_index(text, pos):
    # which element of the top-level list a JSON syntax error at character `pos` falls in:
    # decode the elements one by one until we pass pos (only run after json.loads failed)
    decoder, i, index = json.JSONDecoder(), text.find("[") + 1, 0
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        try:
            _, end = decoder.raw_decode(text, i)
        except ValueError:
            return index
        if end > pos:
            return index
        i, index = end, index + 1


def load_json_items(path):
    """ProsQA / ProntoQA file as checked JSON objects: a list of {question, steps, answer[, graph fields]}."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: record {_json_record_index(text, e.pos)}: malformed JSON "
                         f"(line {e.lineno} column {e.colno}: {e.msg})") from None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a JSON list of records, got {type(items).__name__}")
    for i, item in enumerate(items):
        record_from_json(item, f"{path}: record {i}")
    return items


def record_from_json(item, where):
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object, got {type(item).__name__}")
    for field in ("question", "steps", "answer"):
        if field not in item:
            raise ValueError(f"{where}: missing field '{field}'")
    graph = None
    if any(f in item for f in GRAPH_FIELDS):  # a ProsQA record: keep its graph, all of it
        missing = [f for f in GRAPH_FIELDS if f not in item]
        if missing:
            raise ValueError(f"{where}: missing field '{missing[0]}' (ProsQA graph)")
        graph = {f: item[f] for f in GRAPH_FIELDS}
    rec = Record(item["question"], item["steps"], item["answer"], graph)
    check_record(rec, where)
    return rec


def load_json_records(path):
    return [record_from_json(item, "") for item in load_json_items(path)]  # checked in load_json_items


def record_to_json(rec):
    """Inverse of record_from_json (field order of the released files)."""
    item = {"question": rec.question, "steps": list(rec.steps), "answer": rec.answer}
    if rec.graph is not None:
        item.update({f: rec.graph[f] for f in GRAPH_FIELDS})
    return item


def temp_path_for(path):
    # same folder, so that os.replace is an atomic rename; hidden, so nothing picks it up half-written
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.part")


def write_checked(path, text, load):
    """Write text to path via a temp file in the same folder; rename only if load(temp) succeeds."""
    tmp = temp_path_for(path)
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        load(tmp)  # the file we are about to publish must read back
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_json_items(items, path):
    for i, item in enumerate(items):
        record_from_json(item, f"{path}: record {i}")
    write_checked(path, json.dumps(items, ensure_ascii=False), load_json_items)


def write_json_records(records, path):
    write_json_items([record_to_json(r) for r in records], path)

# -----------------------------------------------------------------------------
# training examples of every method (coconut.md sections 3, 4, 6)
#
#   question + "\n"  [<bot> <latent> x k <eot>]  step + "\n" ...  "### " + answer  <|endoftext|>
#   \____ no loss __________________________/  \________ next-token loss __________________/

METHODS = ("coconut", "cot", "no-cot", "icot", "pause", "no-curriculum", "no-thought", "pause-as-thought")
CURRICULUM_METHODS = ("coconut", "no-thought", "pause-as-thought")  # stage from the schedule (+ mixing)
LATENT_METHODS = ("coconut", "no-curriculum")  # the methods with continuous thoughts


@dataclass
class Example:
    ids: list[int]     # token ids; latent slots hold tok.latent
    labels: list[int]  # same length as ids; -100 where no loss, else == ids[i]
    n_latent: int      # number of continuous-thought slots (0 if none)
    latent_start: int  # index of the first latent slot (= index of <bot> + 1); without <bot>: len(question)


def stage_for_epoch(epoch, epochs_per_stage, max_latent_stage, stage0_epochs=None):
    """Stage 0 (plain CoT) for the first stage0_epochs epochs (default: epochs_per_stage), then one
    stage per epochs_per_stage epochs, capped at max_latent_stage + 1: the all-latent stage."""
    stage0_epochs = epochs_per_stage if stage0_epochs is None else stage0_epochs
    if epoch < 0 or epochs_per_stage < 1 or max_latent_stage < 0 or stage0_epochs < 0:
        raise ValueError(f"bad schedule: epoch={epoch}, epochs_per_stage={epochs_per_stage}, "
                         f"max_latent_stage={max_latent_stage}, stage0_epochs={stage0_epochs}")
    if epoch < stage0_epochs:
        return 0
    return min(1 + (epoch - stage0_epochs) // epochs_per_stage, max_latent_stage + 1)


def removed_steps_and_thoughts(stage, n_steps, c, max_latent_stage, pad_latent_to_max):
    """Coconut's stage k: (how many leading language steps are removed, how many thoughts)."""
    if stage > max_latent_stage:  # final stage: no language reasoning left at all
        return n_steps, c * (max_latent_stage if pad_latent_to_max else min(n_steps, max_latent_stage))
    return min(stage, n_steps), c * stage  # k*c thoughts even when the example has < k steps


def icot_tokens_removed(epoch, tokens_per_epoch=8, smoothing_lambda=4.0, rng=None):
    """
    iCoT's schedule: remove epoch * tokens_per_epoch chain tokens from the start (a fractional epoch
    gives the removal part-way through an epoch). Removal smoothing (rng given): add an offset
    o >= 0 with P(o) proportional to exp(-lambda * o), drawn per example, so that the model sees a
    few examples of the coming removal before it happens. That is a geometric distribution:
    o = floor(-ln(U) / lambda) with U uniform on (0, 1]. smoothing_lambda = 0 turns smoothing off.
    """
    if epoch < 0 or tokens_per_epoch < 0 or smoothing_lambda < 0:
        raise ValueError(f"bad iCoT schedule: epoch={epoch}, tokens_per_epoch={tokens_per_epoch}, "
                         f"smoothing_lambda={smoothing_lambda}")
    removed = math.floor(epoch * tokens_per_epoch)
    if rng is not None and smoothing_lambda > 0:
        removed += math.floor(-math.log(1.0 - rng.random()) / smoothing_lambda)
    return removed


def _example(no_loss, supervised, n_latent, latent_start, n_question=0):
    """no_loss carries no labels, except its first n_question tokens (the question) if asked."""
    labels = no_loss[:n_question] + [-100] * (len(no_loss) - n_question) + supervised
    return Example(ids=no_loss + supervised, labels=labels, n_latent=n_latent, latent_start=latent_start)


def build_example(tok, rec, method, stage, *, c=1, max_latent_stage=6, pad_latent_to_max=True,
                  uniform_prob=0.0, icot_removed=0, n_pause=None, rng=None, question_loss=False, eot=True):
    """
    One training sequence of `rec` for `method` at curriculum `stage`. After question + "\n":

        coconut, no-curriculum   <bot> <latent> x k <eot>  steps[s:]  answer
        pause-as-thought         <bot> <pause> x k <eot>   steps[s:]  answer
        no-thought                                         steps[s:]  answer
        cot                                                steps      answer
        no-cot                                                        answer
        icot                     (all step tokens)[icot_removed:]     answer
        pause                    <pause> x n_pause                    answer

    with (s, k) = removed_steps_and_thoughts(stage, ...), answer = "### " + answer <|endoftext|>.
    The question and everything up to the last marker or pause carry no loss (label -100), as in
    the paper; question_loss=True labels the question's tokens too (not the paper's recipe: for
    models trained from random initialisation, see train.py --question_loss). eot=False leaves out
    Coconut's <eot> (not the paper's recipe: see train.py --no_eot), so that the last thought
    slot itself predicts the first token of the text after the thoughts.
    no-curriculum ignores `stage` (always the final stage); cot, no-cot, icot, pause ignore it too.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if isinstance(stage, bool) or not isinstance(stage, int) or stage < 0:
        raise ValueError(f"stage must be an integer >= 0, got {stage!r}")
    if isinstance(c, bool) or not isinstance(c, int) or c < 1:
        raise ValueError(f"c (thoughts per step) must be an integer >= 1, got {c!r}")
    if max_latent_stage < 0 or icot_removed < 0 or (n_pause is not None and n_pause < 0):
        raise ValueError(f"bad argument: max_latent_stage={max_latent_stage}, "
                         f"icot_removed={icot_removed}, n_pause={n_pause}")
    if not 0.0 <= uniform_prob <= 1.0:
        raise ValueError(f"uniform_prob must be in [0, 1], got {uniform_prob}")
    if uniform_prob > 0 and method not in CURRICULUM_METHODS:
        raise ValueError(f"uniform_prob (stage mixing) only applies to {CURRICULUM_METHODS}, not {method!r}")
    if uniform_prob > 0 and rng is None:
        raise ValueError("uniform_prob > 0 needs rng (a random.Random) to draw the mixed stage")

    question = tok.encode(rec.question + "\n")
    steps = [tok.encode(step + "\n") for step in rec.steps]
    answer = tok.encode("### " + rec.answer) + [tok.eos]
    n_steps = len(steps)
    q = len(question)
    nq = q if question_loss else 0  # how many leading tokens of the unsupervised part get labels

    # stage mixing: with probability uniform_prob, a stage drawn uniformly from {0..n_steps}
    if method in CURRICULUM_METHODS and uniform_prob > 0 and rng.random() < uniform_prob:
        stage = rng.randint(0, n_steps)
    if method == "no-curriculum":
        stage = max_latent_stage + 1  # the final stage from the first epoch on
    removed, k = removed_steps_and_thoughts(stage, n_steps, c, max_latent_stage, pad_latent_to_max)
    rest = [t for step in steps[removed:] for t in step] + answer  # language after the thoughts

    if method in LATENT_METHODS:
        end = [tok.eot] if eot else []
        return _example(question + [tok.bot] + [tok.latent] * k + end, rest, k, q + 1, nq)
    if method == "pause-as-thought":  # real <pause> tokens, one pass, no recurrence
        return _example(question + [tok.bot] + [tok.pause] * k + [tok.eot], rest, 0, q + 1, nq)
    if method == "no-thought":        # same step removal, no thoughts and no markers
        return _example(question, rest, 0, q, nq)
    chain = [t for step in steps for t in step]
    if method == "cot":
        return _example(question, chain + answer, 0, q, nq)
    if method == "no-cot":
        return _example(question, answer, 0, q, nq)
    if method == "icot":              # the first icot_removed chain tokens are gone
        return _example(question, chain[icot_removed:] + answer, 0, q, nq)
    if method == "pause":             # as many pauses as Coconut's final stage has thoughts
        n = max_latent_stage * c if n_pause is None else n_pause
        return _example(question + [tok.pause] * n, answer, 0, q, nq)
    raise AssertionError(method)


def inference_prompt(tok, rec, method, n_latent):
    """The prompt a model of `method` continues at test time (coconut.md section 5)."""
    question = tok.encode(rec.question + "\n")
    if method in LATENT_METHODS:  # generation adds n_latent thoughts and <eot>
        return question + [tok.bot]
    if method == "pause-as-thought":
        return question + [tok.bot] + [tok.pause] * n_latent + [tok.eot]
    if method == "pause":
        return question + [tok.pause] * n_latent
    if method in ("cot", "no-cot", "icot", "no-thought"):
        return question
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def check_lengths(examples, block_size, where, drop=False):
    """Examples longer than block_size: ValueError naming `where` and the index, or drop=True removes them."""
    too_long = [i for i, ex in enumerate(examples) if len(ex.ids) > block_size]
    if too_long and not drop:
        i = too_long[0]
        raise ValueError(f"{where}: example {i} has {len(examples[i].ids)} tokens > block_size "
                         f"{block_size} ({len(too_long)} examples too long; drop them explicitly "
                         f"or raise block_size)")
    if too_long:
        print(f"{where}: dropped {len(too_long)} of {len(examples)} examples longer than {block_size} tokens")
        skip = set(too_long)
        examples = [ex for i, ex in enumerate(examples) if i not in skip]
    return examples

# -----------------------------------------------------------------------------
# batching: align the first latent slot of every row on one column

def collate(examples, tok):
    """
    Row b is left-padded by latent_col - latent_start[b] (rows with no <bot>: 0) so that latent slot j
    of every row is column latent_col + j, then right-padded to T. When no row has a thought there is
    nothing to align: no left padding, latent_col = 0. Pads: id tok.eos, position 0, mask False, target -100.
    """
    if not examples:
        raise ValueError("collate: empty batch")
    for i, ex in enumerate(examples):
        if len(ex.ids) != len(ex.labels) or not ex.ids:
            raise ValueError(f"collate: example {i} has {len(ex.ids)} ids and {len(ex.labels)} labels")
    max_latent = max(ex.n_latent for ex in examples)
    # rows to align: those with a <bot>, and only when some row has a thought to compute
    align = [max_latent > 0 and ex.latent_start > 0 and ex.ids[ex.latent_start - 1] == tok.bot
             for ex in examples]
    latent_col = max((ex.latent_start for ex, a in zip(examples, align) if a), default=0)
    left = [latent_col - ex.latent_start if a else 0 for ex, a in zip(examples, align)]
    T = max(l + len(ex.ids) for l, ex in zip(left, examples))

    B = len(examples)
    ids = np.full((B, T), tok.eos, dtype=np.int64)
    pos = np.zeros((B, T), dtype=np.int64)
    mask = np.zeros((B, T), dtype=bool)
    targets = np.full((B, T), -100, dtype=np.int64)
    for b, (l, ex) in enumerate(zip(left, examples)):
        n = len(ex.ids)
        ids[b, l:l + n] = ex.ids
        pos[b, l:l + n] = np.arange(n)
        mask[b, l:l + n] = True
        targets[b, l:l + n - 1] = ex.labels[1:]  # position t predicts the token at t+1
    targets = torch.from_numpy(targets)  # (B, T)
    label_pos = (targets.view(-1) != -100).nonzero().squeeze(1)  # (N,) row-major flat indices
    return {
        "input_ids": torch.from_numpy(ids),      # (B, T)
        "position_ids": torch.from_numpy(pos),   # (B, T)
        "attn_mask": torch.from_numpy(mask),     # (B, T)
        "targets": targets,                      # (B, T)
        "label_pos": label_pos,                                # (N,)
        "label_ids": targets.view(-1)[label_pos],              # (N,)
        "n_latent": torch.tensor([ex.n_latent for ex in examples], dtype=torch.long),  # (B,)
        "latent_col": latent_col,
        "max_latent": max_latent,
        "n_tokens": sum(len(ex.ids) for ex in examples),
    }

# -----------------------------------------------------------------------------
# answers: as the released evaluation does it

def extract_answer(text):
    """Text after the last '#', commas removed, stripped (anything from <|endoftext|> on is ignored)."""
    text = text.split("<|endoftext|>")[0]
    return text.split("#")[-1].replace(",", "").strip()


def is_correct(generated_text, gold_answer):
    return extract_answer(generated_text) == gold_answer.replace(",", "").strip()

# -----------------------------------------------------------------------------
# ProsQA: generator
#
# A ProsQA question is a small random DAG of "is-a" facts over person names and
# nonsense concepts, written as shuffled sentences, then a two-choice question:
#
#   "Davis is a shumpus. Every terpus is a brimpus. ... Is Tom a lempus or scrompus?"
#   steps:  ["Tom is a terpus.", "Every terpus is a brimpus.", "Every brimpus is a lempus."]
#   answer: "Tom is a lempus."
#
# The graph comes from the paper's Algorithm 1 (appendix A.2). Nodes 0 and 1 are
# the two roots. Every node carries a 2-bit label: bit 1 = descends from node 0,
# bit 2 = descends from node 1 (so 3 = both, 0 = neither). Nodes 2..N-1 are added
# one at a time: draw a parent count from Poisson(1.5); draw r uniform and take as
# candidates the label-1 nodes (r <= p_first), the label-2 nodes (r <= p_first +
# p_second) or all nodes; choose that many parents without replacement, weighting
# candidate c by depth(c) * 1.5 + 1 so that chains grow long; the node's label is
# the OR of its parents' labels. Parentless nodes are people, the rest concepts.
# One root is asked about; the answer is a leaf only it reaches, the distractor a
# leaf only the other root reaches; the steps walk a shortest path to the answer.
#
# Run literally, Algorithm 1 does not give the released data. Measured on 2,000
# generated graphs against the 300 released valid questions (N = 28 throughout):
#
#                              nodes edges path paths  3/4/5/6-step     people neither both
#   released valid             22.8  36.3  3.75 1.61   41/44/12/ 2%     2.51   2.8%   5.7%
#   Algorithm 1 literally      25.0  37.7  2.60 1.28   31/14/ 4/ 1%(*)  4.55  18.5%   9.2%
#   + choices 4, 5 below       25.0  37.6  3.84 1.46   38/44/15/ 3%     4.57  17.8%   8.8%
#   + choice 1                 22.8  36.0  3.74 1.64   45/39/14/ 2%     2.68   3.8%  10.1%
#   + choice 3 (this code)     22.8  36.2  3.77 1.70   41/44/13/ 2%     2.49   2.7%   6.3%
#   (*) plus 14% 1-step and 36% 2-step questions; "literally" = drop isolated
#       nodes, answer a random leaf only node 0 reaches
#
# What the paper leaves out, each choice pinned down by a measurement of the
# released graphs:
#
# 1. Nodes that descend from neither root (label 0: people added after nodes 0 and
#    1, and concepts below only them) are candidates only in the "all nodes" branch;
#    Algorithm 1 as printed also offers them in the two one-family branches. The
#    released "neither" concepts (0.13 per graph) all hang directly under a person,
#    never under another "neither" concept, and only 0.5 extra people per graph
#    survive. With this choice: 0.12 such concepts and 0.47 extra people per graph;
#    without it the neither family is 18% of all nodes.
# 2. Isolated nodes (people nobody picked as a parent) are dropped and the rest
#    renumbered in construction order: every released node has an edge, and 61% of
#    the surviving extra people sit in the first 30% of indices (generated: 65%), as
#    happens when late people are dropped for having had no time to get a child.
# 3. The branch probabilities are 0.35 / 0.45 / 0.20 (Algorithm 1 prints 0.35 /
#    0.35 / 0.30). In the released data node 2 has both roots as parents in 6% of
#    graphs (an "all nodes" chance of 0.30 gives 13%, 0.20 gives 8%), nodes below
#    both roots are 5.7% (0.30 gives 10%), and node 1's family is the bigger one
#    (11.8 vs 9.1 nodes; node 1 is the asked-about root in 65% of questions). With
#    0.35 / 0.45: 6.3%, 11.5 vs 9.2 nodes, node 1 asked in 62% (0.35 / 0.35 gives
#    9.9 vs 9.8 nodes).
# 4. The question is about whichever root reaches the deeper exclusive leaf (ties:
#    either), and the answer is that deepest leaf. In all 300 released questions
#    the answer is the asked root's farthest exclusive leaf, and the other root's
#    farthest exclusive leaf is never farther. The distractor is any exclusive leaf
#    of the other root (the released one is that root's farthest only 66% of the
#    time, about what a uniform pick gives).
# 5. Questions whose shortest path is under 3 or over 6 steps are rejected (the
#    released range is 3-6); with choices 1-4 that is about 6% of graphs.
# 6. N = 28 nodes before dropping, giving 22.8 nodes per graph, range 16-28, mode
#    23 (released: 22.8, 17-28, 23); the released counts fall off sharply after 26
#    (26: 7%, 27: 1%, 28: 0.3%), the mark of a fixed N a little above 26 from which
#    a few isolated people are dropped. Smaller N shortens paths: N = 26 gives
#    21.2 nodes and 44% 3-step questions.
# 7. When several shortest paths reach the answer, the steps follow one chosen
#    uniformly: the released steps match no fixed rule (first or last by node
#    index, by edge order, by sentence order: each right about half the time).
# 8. A candidate's depth is its longest distance from a person (the paper says
#    "depth to root" without saying which). Shortest distance fits about as well:
#    1.64 shortest paths (closer) but 41% 4-step questions (farther from 44%).
# 9. Not a choice of the released data (off by default): choice 4 makes the answer
#    the asked root's farthest leaf, so the answer usually lies deeper below the
#    people than the distractor does. Choosing the option farther from its nearest
#    person (any parentless node, whoever is asked about) is right on 87.3% of the
#    300 released valid questions and ties on 10.3% (92.5% with ties guessed); one
#    hop back ("is the option said of a person?") already decides 21.0%.
#    match_distractor=True keeps only distractors exactly as deep as the answer,
#    for test sets on which that rule is at chance. Weaker depth rules remain
#    (more ancestors, or a longer longest path from a person: 54% on 500 such
#    questions, 71% on 900 of the small ProsQA's 12-node graphs).
#
# Loosest fit: 1.70 shortest paths per question against the released 1.61 (whose
# own standard error is 0.05; the paper's Table 2 says 1.6). Still different, with
# no target: the released distractor is a little closer to its root (1/2/3/4
# steps: 21/53/24/2%; generated 15/51/31/3%).

# the vocabulary of the released files: 17 person names, 38 concepts
PROSQA_NAMES = ["Alex", "Bob", "Carol", "Davis", "Eva", "Fae", "Gabriel", "Jack", "Max", "Oliver",
                "Polly", "Rex", "Sally", "Sam", "Stella", "Tom", "Wren"]
PROSQA_CONCEPTS = ["bompus", "boompus", "brimpus", "chorpus", "dumpus", "felpus", "fompus", "gerpus",
                   "gorpus", "grimpus", "gwompus", "hilpus", "impus", "jelpus", "jompus", "kerpus",
                   "lempus", "lorpus", "numpus", "quimpus", "rempus", "rompus", "rorpus", "scrompus",
                   "shumpus", "sterpus", "storpus", "terpus", "timpus", "tumpus", "vumpus", "worpus",
                   "wumpus", "yerpus", "yimpus", "yumpus", "zhorpus", "zumpus"]
PROSQA_FIELDS = ("question", "answer", "steps", "idx_to_symbol", "edges", "root", "target", "neg_target")

# difficulty knobs and the values that reproduce the released distribution (see above);
# out-of-distribution sets raise n_nodes / min_steps / max_steps (longer chains) or
# mean_parents (denser graphs)
PROSQA_DEFAULTS = dict(
    n_nodes=28,         # N, nodes built before isolated people are dropped
    min_steps=3,        # shortest path to the answer, fewest steps kept
    max_steps=6,        # ... and most steps kept
    mean_parents=1.5,   # Poisson mean of each new node's parent count
    depth_weight=1.5,   # candidate weight = depth * depth_weight + 1
    p_first=0.35,       # chance a new node may only join node 0's family
    p_second=0.45,      # chance it may only join node 1's family (rest: any node)
    match_distractor=False,  # True: distractor as deep as the answer (choice 9), not as released
)


def poisson(rng, lam):
    # Knuth's method: count uniforms until their product drops below exp(-lam); fine for small lam
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def weighted_sample(rng, items, weights, k):
    # k items without replacement, each draw proportional to weight among those left:
    # the largest k keys u**(1/w) (Efraimidis-Spirakis) have exactly that law, in draw order
    keyed = sorted(((rng.random() ** (1.0 / w), x) for x, w in zip(items, weights)), reverse=True)
    return [x for _, x in keyed[:k]]


def build_prosqa_dag(rng, n_nodes, mean_parents, depth_weight, p_first, p_second):
    """Algorithm 1 (with choice 1 above). Returns parents[v], the parents of node v in draw order."""
    parents, labels, depth = [[], []], [1, 2], [0, 0]
    family = {1: [0], 2: [1]}  # one-family candidate lists, by label
    for idx in range(2, n_nodes):
        k = poisson(rng, mean_parents)
        r = rng.random()
        if r <= p_first:
            candidates = family[1]             # cannot descend from node 1
        elif r <= p_first + p_second:
            candidates = family[2]             # cannot descend from node 0
        else:
            candidates = list(range(idx))      # anything, label-0 nodes included
        k = min(k, len(candidates))
        weights = [depth[c] * depth_weight + 1 for c in candidates]
        chosen = weighted_sample(rng, candidates, weights, k)
        label = 0
        for p in chosen:
            label |= labels[p]
        parents.append(chosen)
        labels.append(label)
        depth.append(1 + max(depth[p] for p in chosen) if chosen else 0)  # longest path from a person
        if label in family:  # label-0 and label-3 nodes are reached only through "all nodes"
            family[label].append(idx)
    return parents


def children_of(parents):
    children = [[] for _ in parents]
    for v, ps in enumerate(parents):
        for p in ps:
            children[p].append(v)
    return children


def drop_isolated_nodes(parents):
    # people nobody chose as a parent say nothing; renumber the rest in construction order
    children = children_of(parents)
    keep = [v for v in range(len(parents)) if parents[v] or children[v]]
    new_index = {v: i for i, v in enumerate(keep)}
    return [[new_index[p] for p in parents[v]] for v in keep]


def bfs_distances(children, *sources):
    # dist[v] = fewest edges from the nearest source to v, None where unreachable
    dist = [None] * len(children)
    for source in sources:
        dist[source] = 0
    queue = list(sources)
    for u in queue:
        for w in children[u]:
            if dist[w] is None:
                dist[w] = dist[u] + 1
                queue.append(w)
    return dist


def count_shortest_paths(children, source, dist):
    # ways[v] = number of shortest paths source -> v (BFS order visits parents first)
    ways = [0] * len(children)
    ways[source] = 1
    for u in sorted((v for v in range(len(children)) if dist[v] is not None), key=lambda v: dist[v]):
        for w in children[u]:
            if dist[w] == dist[u] + 1:
                ways[w] += ways[u]
    return ways


def person_distances(children):
    # dist[v] = fewest edges from the nearest person (a parentless node) to v: how deep v lies
    # below the people, whoever is asked about (see choice 9 above)
    has_parent = [False] * len(children)
    for ws in children:
        for w in ws:
            has_parent[w] = True
    return bfs_distances(children, *(v for v in range(len(children)) if not has_parent[v]))


def exclusive_leaves(children, dist_mine, dist_other):
    return [v for v in range(len(children))
            if not children[v] and dist_mine[v] is not None and dist_other[v] is None]


def choose_question(rng, children, min_steps, max_steps, match_distractor=False):
    """Choices 4-5 (and 9) above: returns (root, target, neg_target) or None to reject the graph."""
    dist = [bfs_distances(children, 0), bfs_distances(children, 1)]
    options = []
    for root in (0, 1):
        mine = exclusive_leaves(children, dist[root], dist[1 - root])
        theirs = exclusive_leaves(children, dist[1 - root], dist[root])
        if mine and theirs:
            options.append((max(dist[root][v] for v in mine), root, mine, theirs))
    if not options:
        return None
    steps = max(o[0] for o in options)
    if not min_steps <= steps <= max_steps:
        return None
    _, root, mine, theirs = rng.choice([o for o in options if o[0] == steps])
    target = rng.choice([v for v in mine if dist[root][v] == steps])
    if match_distractor:  # choice 9: only distractors as deep below the people as the answer
        depth = person_distances(children)
        theirs = [v for v in theirs if depth[v] == depth[target]]
        if not theirs:
            return None
    return root, target, rng.choice(theirs)


def sample_shortest_path(rng, children, source, target):
    # uniform over all shortest paths: walk back from the target, picking each predecessor in
    # proportion to the number of shortest paths that reach it
    dist = bfs_distances(children, source)
    ways = count_shortest_paths(children, source, dist)
    parents = [[] for _ in children]
    for u, ws in enumerate(children):
        for w in ws:
            parents[w].append(u)
    path = [target]
    while path[-1] != source:
        v = path[-1]
        preds = [u for u in parents[v] if dist[u] is not None and dist[u] + 1 == dist[v]]
        path.append(rng.choices(preds, weights=[ways[u] for u in preds])[0])
    return path[::-1]


def is_person(symbol):
    return symbol[:1].isupper()  # names are capitalised, concepts are not


def prosqa_sentence(symbols, a, b):
    # one is-a fact; the released files always write "a", even before a vowel ("a impus")
    if is_person(symbols[a]):
        return f"{symbols[a]} is a {symbols[b]}."
    return f"Every {symbols[a]} is a {symbols[b]}."


def render_prosqa(rng, parents, root, target, neg_target):
    """Names the nodes and writes the record in the released text format."""
    people = [v for v in range(len(parents)) if not parents[v]]
    names = iter(rng.sample(PROSQA_NAMES, len(people)))
    concepts = iter(rng.sample(PROSQA_CONCEPTS, len(parents) - len(people)))
    symbols = [next(concepts) if parents[v] else next(names) for v in range(len(parents))]
    edges = [[p, v] for v in range(len(parents)) for p in parents[v]]  # grouped by child, as released
    rules = [prosqa_sentence(symbols, a, b) for a, b in edges]
    rng.shuffle(rules)
    options = [symbols[target], symbols[neg_target]]
    rng.shuffle(options)
    name = symbols[root]
    path = sample_shortest_path(rng, children_of(parents), root, target)
    return {
        "question": " ".join(rules) + f" Is {name} a {options[0]} or {options[1]}?",
        "answer": f"{name} is a {symbols[target]}.",
        "steps": [prosqa_sentence(symbols, a, b) for a, b in zip(path, path[1:])],
        "idx_to_symbol": symbols,
        "edges": edges,
        "root": root,
        "target": target,
        "neg_target": neg_target,
    }


def check_prosqa_difficulty(d):
    unknown = set(d) - set(PROSQA_DEFAULTS)
    if unknown:
        raise ValueError(f"generate_prosqa: unknown difficulty parameter(s) {sorted(unknown)}; "
                         f"known: {sorted(PROSQA_DEFAULTS)}")
    if not 4 <= d["n_nodes"] <= 2 + len(PROSQA_CONCEPTS):
        raise ValueError(f"generate_prosqa: n_nodes={d['n_nodes']} must be in 4..{2 + len(PROSQA_CONCEPTS)} "
                         f"(one concept word per non-root node)")
    if not 1 <= d["min_steps"] <= d["max_steps"]:
        raise ValueError(f"generate_prosqa: need 1 <= min_steps <= max_steps, got {d['min_steps']}, {d['max_steps']}")
    if d["mean_parents"] <= 0 or d["depth_weight"] < 0:
        raise ValueError("generate_prosqa: mean_parents must be > 0 and depth_weight >= 0")
    if d["p_first"] < 0 or d["p_second"] < 0 or d["p_first"] + d["p_second"] > 1:
        raise ValueError("generate_prosqa: need p_first, p_second >= 0 and p_first + p_second <= 1")
    if not isinstance(d["match_distractor"], bool):
        raise ValueError(f"generate_prosqa: match_distractor={d['match_distractor']!r} must be True or False")


def generate_prosqa(n, seed=0, **difficulty):
    """n ProsQA questions, a pure function of (n, seed, difficulty); keys of PROSQA_DEFAULTS."""
    if type(n) is not int or n < 0:
        raise ValueError(f"generate_prosqa: n={n!r} must be a non-negative int")
    d = {**PROSQA_DEFAULTS, **difficulty}
    check_prosqa_difficulty(d)
    rng = random.Random(seed)
    records, rejected_in_a_row = [], 0
    while len(records) < n:
        parents = build_prosqa_dag(rng, d["n_nodes"], d["mean_parents"], d["depth_weight"],
                                   d["p_first"], d["p_second"])
        chosen = None
        children = children_of(parents)
        if children[0] and children[1]:  # both roots must reach something before anything else
            parents = drop_isolated_nodes(parents)
            if sum(not ps for ps in parents) <= len(PROSQA_NAMES):  # enough names for the people
                chosen = choose_question(rng, children_of(parents), d["min_steps"], d["max_steps"],
                                         d["match_distractor"])
        if chosen is None:
            rejected_in_a_row += 1
            if rejected_in_a_row >= 10_000:
                raise ValueError(f"generate_prosqa: 10000 graphs in a row gave no question for {d}; "
                                 f"raise n_nodes or widen min_steps..max_steps")
            continue
        rejected_in_a_row = 0
        record = render_prosqa(rng, parents, *chosen)
        validate_prosqa(record, f"generated ProsQA record {len(records)} (seed {seed})")
        records.append(record)
    return records


def validate_prosqa(rec, where):
    """Raises ValueError naming `where` unless rec is a well-formed ProsQA question."""
    def fail(msg):
        raise ValueError(f"{where}: {msg}")

    if not isinstance(rec, dict):
        fail(f"expected a JSON object, got {type(rec).__name__}")
    missing = [f for f in PROSQA_FIELDS if f not in rec]
    if missing:
        fail(f"missing field(s) {missing}")
    symbols, edges = rec["idx_to_symbol"], rec["edges"]
    if not (isinstance(symbols, list) and symbols and all(isinstance(s, str) and s for s in symbols)):
        fail("idx_to_symbol must be a non-empty list of non-empty strings")
    if len(set(symbols)) != len(symbols):
        fail("idx_to_symbol repeats a symbol, so the sentences would be ambiguous")
    n = len(symbols)
    for key in ("root", "target", "neg_target"):
        if not (type(rec[key]) is int and 0 <= rec[key] < n):
            fail(f"{key}={rec[key]!r} is not a node index in 0..{n - 1}")
    root, target, neg = rec["root"], rec["target"], rec["neg_target"]
    if root not in (0, 1):
        fail(f"root={root}: the asked-about name must be node 0 or node 1")
    if not isinstance(edges, list) or not all(
            isinstance(e, list) and len(e) == 2 and all(type(x) is int and 0 <= x < n for x in e) and e[0] != e[1]
            for e in edges):
        fail(f"edges must be a list of [parent, child] pairs of distinct node indices in 0..{n - 1}")
    for key in ("question", "answer"):
        if not isinstance(rec[key], str):
            fail(f"{key} must be a string")
    if not (isinstance(rec["steps"], list) and all(isinstance(s, str) for s in rec["steps"])):
        fail("steps must be a list of strings")

    # the graph: answer reachable from the asked root, distractor only from the other root
    children = [[] for _ in range(n)]
    for a, b in edges:
        children[a].append(b)
    dist = bfs_distances(children, root)
    dist_other = bfs_distances(children, 1 - root)
    if dist[target] is None:
        fail(f"answer {symbols[target]!r} (node {target}) is not reachable from {symbols[root]!r}")
    if dist[neg] is not None:
        fail(f"distractor {symbols[neg]!r} (node {neg}) is reachable from {symbols[root]!r}")
    if dist_other[neg] is None:
        fail(f"distractor {symbols[neg]!r} (node {neg}) is not reachable from the other root {symbols[1 - root]!r}")
    for key, v in (("answer", target), ("distractor", neg)):
        if children[v]:
            fail(f"{key} {symbols[v]!r} (node {v}) is not a leaf")

    # the text: answer, question (all the edges as rules, then both options), steps
    name = symbols[root]
    if rec["answer"] != f"{name} is a {symbols[target]}.":
        fail(f"answer {rec['answer']!r} should be {name + ' is a ' + symbols[target] + '.'!r}")
    tails = [f" Is {name} a {symbols[target]} or {symbols[neg]}?", f" Is {name} a {symbols[neg]} or {symbols[target]}?"]
    question = rec["question"]
    tail = next((t for t in tails if question.endswith(t)), None)
    if tail is None:
        fail(f"question should end {tails[0].strip()!r} (options in either order), it ends {question[-60:]!r}")
    said = Counter(s.strip() + "." for s in question[:-len(tail)].split(".")[:-1])
    meant = Counter(prosqa_sentence(symbols, a, b) for a, b in edges)
    if said != meant:
        odd = sorted((said - meant) | (meant - said))
        fail(f"question rules differ from the edges, e.g. {odd[0]!r}")
    sentence_to_edge = {prosqa_sentence(symbols, a, b): (a, b) for a, b in edges}
    at = root
    for i, step in enumerate(rec["steps"]):
        edge = sentence_to_edge.get(step)
        if edge is None or edge[0] != at:
            fail(f"step {i} {step!r} is not an edge leaving {symbols[at]!r}")
        at = edge[1]
    if at != target:
        fail(f"steps end at {symbols[at]!r}, not at the answer {symbols[target]!r}")
    if len(rec["steps"]) != dist[target]:
        fail(f"steps take {len(rec['steps'])} edges but the shortest path takes {dist[target]}")


def prosqa_stats(records):
    """Distribution statistics of a list of (valid) ProsQA records, to compare generator and release."""
    nodes, n_edges, lengths, n_paths, parentless = [], [], [], [], []
    steps, families, names, concepts, asked_1 = Counter(), Counter(), set(), set(), 0
    answer_first = 0  # the answer is the first of the two options the question names
    deeper = as_deep = 0  # the answer lies deeper below the people than the distractor (choice 9)
    for rec in records:
        symbols, root, target = rec["idx_to_symbol"], rec["root"], rec["target"]
        n = len(symbols)
        children, has_parent = [[] for _ in range(n)], [False] * n
        for a, b in rec["edges"]:
            children[a].append(b)
            has_parent[b] = True
        dist = bfs_distances(children, root)
        dist_other = bfs_distances(children, 1 - root)
        nodes.append(n)
        n_edges.append(len(rec["edges"]))
        lengths.append(dist[target])
        n_paths.append(count_shortest_paths(children, root, dist)[target])
        parentless.append(n - sum(has_parent))
        steps[len(rec["steps"])] += 1
        for v in range(n):  # family of each node, by which roots reach it
            families[(dist[v] is not None, dist_other[v] is not None)] += 1
        names.update(s for s in symbols if is_person(s))
        concepts.update(s for s in symbols if not is_person(s))
        asked_1 += root == 1
        options = re.findall(r"\w+", rec["question"][rec["question"].rfind("Is "):])  # Is Tom a X or Y
        answer_first += options.index(symbols[target]) < options.index(symbols[rec["neg_target"]])
        depth = person_distances(children)
        deeper += depth[target] > depth[rec["neg_target"]]
        as_deep += depth[target] == depth[rec["neg_target"]]
    m, total = len(records), sum(nodes)
    counts = Counter(nodes)
    return {
        "questions": m,
        "mean_nodes": sum(nodes) / m,
        "mean_edges": sum(n_edges) / m,
        "mean_shortest_path": sum(lengths) / m,
        "mean_shortest_paths": sum(n_paths) / m,
        "step_hist": {k: steps[k] / m for k in sorted(steps)},        # fraction of questions per step count
        "node_hist": {k: counts[k] / m for k in sorted(counts)},
        "min_nodes": min(nodes), "max_nodes": max(nodes),
        "mode_nodes": max(sorted(counts), key=lambda k: counts[k]),
        "mean_parentless": sum(parentless) / m,
        "family": {"asked_only": families[(True, False)] / total,    # fractions of all nodes
                   "distractor_only": families[(False, True)] / total,
                   "both": families[(True, True)] / total,
                   "neither": families[(False, False)] / total},
        "asked_root_is_1": asked_1 / m,
        "answer_is_first_option": answer_first / m,  # what always naming the first option scores
        "answer_is_deeper": deeper / m,  # than the distractor, below the nearest person
        "answer_is_as_deep": as_deep / m,
        "names": sorted(names), "concepts": sorted(concepts),
    }


def compare_prosqa_stats(generated, reference):
    """A side-by-side table and whether the targets hold: mean nodes within 1, edges within 2,
    shortest-path length and number of shortest paths within 0.15, each step-count bin within
    5 percentage points. Rows without a target are shown for shape only."""
    rows = [  # (what, generated, reference, tolerance or None, format)
        ("mean nodes", generated["mean_nodes"], reference["mean_nodes"], 1.0, "{:.2f}"),
        ("mean edges", generated["mean_edges"], reference["mean_edges"], 2.0, "{:.2f}"),
        ("mean shortest path", generated["mean_shortest_path"], reference["mean_shortest_path"], 0.15, "{:.3f}"),
        ("mean no. shortest paths", generated["mean_shortest_paths"], reference["mean_shortest_paths"], 0.15, "{:.3f}"),
    ]
    for k in sorted(set(generated["step_hist"]) | set(reference["step_hist"])):
        rows.append((f"{k}-step questions", generated["step_hist"].get(k, 0.0),
                     reference["step_hist"].get(k, 0.0), 0.05, "{:.1%}"))
    rows += [
        ("min / mode / max nodes", "{min_nodes} / {mode_nodes} / {max_nodes}".format(**generated),
         "{min_nodes} / {mode_nodes} / {max_nodes}".format(**reference), None, "{}"),
        ("mean parentless nodes", generated["mean_parentless"], reference["mean_parentless"], None, "{:.2f}"),
    ]
    for fam, what in (("asked_only", "asked root only"), ("distractor_only", "other root only"),
                      ("both", "both roots"), ("neither", "neither root")):
        rows.append((f"nodes below {what}", generated["family"][fam], reference["family"][fam], None, "{:.1%}"))
    rows += [
        ("asked root is node 1", generated["asked_root_is_1"], reference["asked_root_is_1"], None, "{:.1%}"),
        ("answer is the first option", generated["answer_is_first_option"],
         reference["answer_is_first_option"], None, "{:.1%}"),
        ("answer deeper than distractor", generated["answer_is_deeper"], reference["answer_is_deeper"],
         None, "{:.1%}"),
        ("answer as deep as distractor", generated["answer_is_as_deep"], reference["answer_is_as_deep"],
         None, "{:.1%}"),
        ("names / concepts used", f"{len(generated['names'])} / {len(generated['concepts'])}",
         f"{len(reference['names'])} / {len(reference['concepts'])}", None, "{}"),
    ]
    lines = [f"{'statistic':<30}{'generated':>14}{'reference':>14}{'target':>9}  ok",
             f"{'questions':<30}{generated['questions']:>14}{reference['questions']:>14}"]
    ok = True
    for what, g, r, tol, fmt in rows:
        if tol is None:
            mark, target = "", ""
        else:
            good = abs(g - r) <= tol + 1e-12
            ok &= good
            mark, target = ("yes" if good else "NO"), ("±" + (f"{tol:.0%}" if fmt == "{:.1%}" else f"{tol:g}"))
        lines.append(f"{what:<30}{fmt.format(g):>14}{fmt.format(r):>14}{target:>9}  {mark}".rstrip())
    return "\n".join(lines), ok

# -----------------------------------------------------------------------------
# ProntoQA: generator
#
# ProntoQA questions ask whether a named entity has a property, given a small made-up ontology
# written out as sentences. Coconut uses the 5-hop "fictional ontology" variant (9,000 train /
# 200 valid / 800 test). This section writes new questions from the same distribution, written
# from a plain description of it, so that training and tests need not depend on the released
# files; prontoqa_stats/compare_prontoqa_stats below measure how close the two are.
#
# The roles in one question (an arrow reads "is a"):
#
#   chain              E -> c5 -> c4 -> c3 -> c2 -> c1 -> c0   c1..c5 have one property each
#   side parents       c_k -> d_k   (k = 1..5)                 each d_k has one property
#   second ontology    E -> c' -> r'                           c' has one property
#   decoy rule         "Every D is <not p1>"                   D appears in no other sentence
#
# The question: the 23 rules (5 chain links, 5 side links, 5 chain properties, 5 side properties,
# c' -> r', c''s property, the decoy) in random order, then the facts "E is a c5." and
# "E is a c'." in random order, then "True or false: E is [not] p1.". The chain of thought walks
# from c5 up to c1 and reads off c1's property p1. Every distractor looks like a real clue: the
# side parents and c' give E properties too, and the decoy states p1 with the opposite sign, so
# the property word alone does not give the answer away.
#
# Example (train record 0, abridged): rules "... Each vumpus is a brimpus. Brimpuses are
# grimpuses. ... Numpuses are not wooden. ... Each yumpus is wooden. ...", facts "Max is a
# vumpus. Max is a lorpus.", query "True or false: Max is not wooden.", steps
#   "Max is a vumpus. Each vumpus is a brimpus."  ...  "Max is a numpus. Numpuses are not wooden."
#   "Max is not wooden."                                                          answer "True"

PRONTOQA_ENTITIES = ("Fae", "Rex", "Sally", "Max", "Alex", "Sam", "Polly", "Stella", "Wren")
PRONTOQA_CONCEPTS = (
    "wumpus", "yumpus", "zumpus", "dumpus", "rompus", "numpus", "tumpus", "vumpus", "impus",
    "jompus", "gorpus", "shumpus", "lempus", "sterpus", "grimpus", "lorpus", "brimpus",
)
# property families: one question never uses a family twice (except for the decoy, which
# repeats p1), so two rules can never contradict each other by accident (e.g. "red" and "blue")
PRONTOQA_FAMILIES = {
    "colour": ("blue", "red", "brown", "orange"),
    "size": ("small", "large"),
    "material": ("metallic", "wooden", "luminous", "liquid"),
    "opacity": ("transparent", "opaque"),
    "mood": ("nervous", "happy", "feisty", "shy"),
    "brightness": ("bright", "dull"),
    "taste": ("sweet", "sour", "spicy", "bitter"),
    "smell": ("floral", "fruity", "earthy"),
    "temperature": ("hot", "cold", "temperate"),
    "temperament": ("kind", "mean", "angry", "amenable", "aggressive"),
    "sound": ("melodic", "muffled", "discordant", "loud"),
    "speed": ("slow", "moderate", "fast"),
    "weather": ("windy", "sunny", "overcast", "rainy", "snowy"),
}
PRONTOQA_HOPS = 5        # c5 -> c1: five "is a" rules walked, then c1's property read off
PRONTOQA_RULES = 23      # 4 rules per chain concept c1..c5, 2 for c', 1 decoy
PRONTOQA_FACTS = 2       # "E is a c5." and "E is a c'."
PRONTOQA_STEPS = 6       # 11 chain-of-thought sentences paired up, the last step alone
# Chance that a property is stated positively ("is red", not "is not red"). A priori 2/3, which
# is what the side parents d_k and c' show in the released data (67.0%, 66.9%), but the official
# generator rejects some ontologies, and that leaves the chain skewed: measured on the 9,000
# released train questions, c1 is positive 53.3% of the time and c2..c5 72.5% (each of c2..c5
# within a point of that, and all five close to independent of each other). We draw those rates
# directly instead of imitating the rejection.
PRONTOQA_P_POSITIVE = 2 / 3
PRONTOQA_P_POSITIVE_C1 = 0.533
PRONTOQA_P_POSITIVE_UPPER_CHAIN = 0.725
# how a rule is phrased: "Wumpuses are red." / "Each wumpus is red." / "Every wumpus is red."
PRONTOQA_STYLES = (("plural", 0.5), ("each", 0.25), ("every", 0.25))


class ProntoRule(NamedTuple):
    subject: str     # a concept, singular: "wumpus"
    obj: str         # a concept ("is a yumpus") or a property adjective ("is red")
    positive: bool   # False renders as "is not ..."
    style: str       # "plural", "each" or "every"; kept with the rule so that the chain of
                     # thought quotes the rule in the very words the question used


def prontoqa_plural(concept):
    return concept + "es"  # every name ends in "-us": wumpus -> wumpuses


def prontoqa_with_article(concept):
    return ("an " if concept[0] in "aeiou" else "a ") + concept  # "an impus", "a wumpus"


def prontoqa_rule_sentence(rule):
    not_ = "" if rule.positive else "not "
    is_concept = rule.obj in PRONTOQA_CONCEPTS
    if rule.style == "plural":
        obj = prontoqa_plural(rule.obj) if is_concept else rule.obj
        return f"{prontoqa_plural(rule.subject).capitalize()} are {not_}{obj}."
    quantifier = {"each": "Each", "every": "Every"}[rule.style]
    obj = prontoqa_with_article(rule.obj) if is_concept else rule.obj
    return f"{quantifier} {rule.subject} is {not_}{obj}."


def prontoqa_fact_sentence(entity, concept):
    return f"{entity} is {prontoqa_with_article(concept)}."


def prontoqa_property_sentence(entity, prop, positive):
    return f"{entity} is {'' if positive else 'not '}{prop}."


def draw_prontoqa_rule(rng, subject, obj, positive=True):
    """A rule with its phrasing drawn from PRONTOQA_STYLES."""
    r, style = rng.random(), None
    for style, p in PRONTOQA_STYLES:
        if r < p:
            break
        r -= p
    return ProntoRule(subject, obj, positive, style)


def draw_prontoqa_property(rng, family, p_positive):
    """One property rule's adjective and sign: (adjective, positive)."""
    return rng.choice(PRONTOQA_FAMILIES[family]), rng.random() < p_positive


def generate_prontoqa_example(rng):
    """One question as a record {question, steps, answer}, in the released files' format."""
    entity = rng.choice(PRONTOQA_ENTITIES)
    # 14 of the 17 names, all different: c0..c5, d1..d5, c', r', D
    names = rng.sample(PRONTOQA_CONCEPTS, 14)
    chain = names[0:6]                       # chain[k] = c_k; c_k is a c_{k-1}
    side = [None] + names[6:11]              # side[k] = d_k, the second parent of c_k
    other, other_root, decoy = names[11:14]  # c', r', D
    # 11 different families: p1..p5 for c1..c5, then d1..d5, then c'
    families = rng.sample(sorted(PRONTOQA_FAMILIES), 11)

    rules, links, chain_props = [], {}, {}
    for k in range(1, PRONTOQA_HOPS + 1):
        p_pos = PRONTOQA_P_POSITIVE_C1 if k == 1 else PRONTOQA_P_POSITIVE_UPPER_CHAIN
        adj, pos = draw_prontoqa_property(rng, families[k - 1], p_pos)
        side_adj, side_pos = draw_prontoqa_property(rng, families[4 + k], PRONTOQA_P_POSITIVE)
        links[k] = draw_prontoqa_rule(rng, chain[k], chain[k - 1])        # c_k is a c_{k-1}
        chain_props[k] = draw_prontoqa_rule(rng, chain[k], adj, pos)      # c_k is [not] p_k
        rules += [links[k], chain_props[k],
                  draw_prontoqa_rule(rng, chain[k], side[k]),             # c_k is a d_k
                  draw_prontoqa_rule(rng, side[k], side_adj, side_pos)]   # d_k is [not] q_k
    # (c0 gets no rule of its own: in the released data it is only c1's second parent)
    rules.append(draw_prontoqa_rule(rng, other, other_root))
    rules.append(draw_prontoqa_rule(rng, other, *draw_prontoqa_property(
        rng, families[10], PRONTOQA_P_POSITIVE)))
    p1, p1_positive = chain_props[1].obj, chain_props[1].positive
    rules.append(draw_prontoqa_rule(rng, decoy, p1, not p1_positive))
    assert len(rules) == PRONTOQA_RULES
    rng.shuffle(rules)

    facts = [prontoqa_fact_sentence(entity, chain[PRONTOQA_HOPS]),
             prontoqa_fact_sentence(entity, other)]
    rng.shuffle(facts)
    query_positive = rng.random() < 0.5
    query = "True or false: " + prontoqa_property_sentence(entity, p1, query_positive)
    question = " ".join([prontoqa_rule_sentence(r) for r in rules] + facts + [query])

    # chain of thought: "E is a c_k." + the rule that takes it one step further, for
    # k = 5..1 (at c1 that rule is its property), then the bare conclusion
    steps = []
    for k in range(PRONTOQA_HOPS, 0, -1):
        rule = links[k] if k > 1 else chain_props[1]
        steps.append(prontoqa_fact_sentence(entity, chain[k]) + " " + prontoqa_rule_sentence(rule))
    steps.append(prontoqa_property_sentence(entity, p1, p1_positive))
    answer = "True" if query_positive == p1_positive else "False"
    return {"question": question, "steps": steps, "answer": answer}


def generate_prontoqa(n, seed=0):
    """n ProntoQA 5-hop questions; the same (n, seed) always gives the same list."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"generate_prontoqa: n must be an int >= 0, got {n!r}")
    rng = random.Random(seed)
    return [generate_prontoqa_example(rng) for _ in range(n)]

# -----------------------------------------------------------------------------
# ProntoQA: checking a record, and comparing two sets of records


def prontoqa_sentences(text):
    return re.split(r"(?<=\.) ", text)  # no sentence has a "." inside it


_PRONTOQA_QUERY = re.compile(r"True or false: (\w+) is (not )?(\w+)\.")
_PRONTOQA_FACT = re.compile(r"(\w+) is an? (\w+)\.")
_PRONTOQA_CONCLUSION = re.compile(r"(\w+) is (not )?(\w+)\.")


def validate_prontoqa(rec, where):
    """Raise ValueError naming `where` unless rec is a well-formed 5-hop ProntoQA record."""
    def fail(msg):
        raise ValueError(f"{where}: {msg}")
    if not isinstance(rec, dict):
        fail(f"expected a dict record, got {type(rec).__name__}")
    for field, kind in (("question", str), ("steps", list), ("answer", str)):
        if field not in rec:
            fail(f"missing field {field!r}")
        if not isinstance(rec[field], kind):
            fail(f"field {field!r} should be a {kind.__name__}, got {type(rec[field]).__name__}")
    sentences = prontoqa_sentences(rec["question"])
    n_context = PRONTOQA_RULES + PRONTOQA_FACTS
    if len(sentences) != n_context + 1:
        fail(f"question has {len(sentences)} sentences, expected {n_context} + the query")
    query = _PRONTOQA_QUERY.fullmatch(sentences[-1])
    if not query:
        fail(f"question should end 'True or false: <Entity> is [not] <property>.', "
             f"got {sentences[-1]!r}")
    entity, query_positive, prop = query[1], query[2] is None, query[3]
    for fact in sentences[PRONTOQA_RULES:n_context]:
        m = _PRONTOQA_FACT.fullmatch(fact)
        if not m or m[1] != entity:
            fail(f"expected a fact '{entity} is a <concept>.' before the query, got {fact!r}")

    steps = rec["steps"]
    if len(steps) != PRONTOQA_STEPS or not all(isinstance(s, str) for s in steps):
        fail(f"expected {PRONTOQA_STEPS} steps (strings), got {len(steps)}")
    stated = set(sentences[:n_context])
    for i, step in enumerate(steps[:-1]):
        pair = prontoqa_sentences(step)
        if len(pair) != 2 or not _PRONTOQA_FACT.fullmatch(pair[0]) or pair[1] not in stated:
            fail(f"step {i} should be '{entity} is a <concept>.' plus a rule from the question, "
                 f"got {step!r}")
    conclusion = _PRONTOQA_CONCLUSION.fullmatch(steps[-1])
    if not conclusion or conclusion[1] != entity or conclusion[3] != prop:
        fail(f"last step should be '{entity} is [not] {prop}.', got {steps[-1]!r}")
    conclusion_positive = conclusion[2] is None
    if rec["answer"] not in ("True", "False"):
        fail(f"answer should be 'True' or 'False', got {rec['answer']!r}")
    expected = "True" if query_positive == conclusion_positive else "False"
    if rec["answer"] != expected:
        fail(f"answer {rec['answer']!r} contradicts the steps: they conclude {steps[-1]!r} "
             f"and the query asks {sentences[-1]!r}")


_PRONTOQA_RULE_QUANTIFIED = re.compile(r"(Each|Every) (\w+) is (not )?(?:an? )?(\w+)\.")
_PRONTOQA_RULE_PLURAL = re.compile(r"(\w+)es are (not )?(\w+)\.")


def parse_prontoqa_rule(sentence):
    """'Each wumpus is not a ...' / 'Wumpuses are ...' -> ProntoRule, or None if neither."""
    m = _PRONTOQA_RULE_QUANTIFIED.fullmatch(sentence)
    if m:
        return ProntoRule(m[2], m[4], m[3] is None, m[1].lower())
    m = _PRONTOQA_RULE_PLURAL.fullmatch(sentence)
    if m:
        obj = m[3][:-2] if m[3][:-2] in PRONTOQA_CONCEPTS else m[3]  # "yumpuses" -> "yumpus"
        return ProntoRule(m[1].lower(), obj, m[2] is None, "plural")
    return None


def read_prontoqa_roles(rec, where):
    """Recover the roles (chain, side parents, c', decoy, signs) of a valid record.
    Raises ValueError naming `where` when the ontology is not shaped as described above."""
    validate_prontoqa(rec, where)

    def fail(msg):
        raise ValueError(f"{where}: ontology not shaped like a 5-hop ProntoQA question: {msg}")
    sentences = prontoqa_sentences(rec["question"])
    rules = [parse_prontoqa_rule(s) for s in sentences[:PRONTOQA_RULES]]
    if None in rules:
        fail(f"not a rule: {sentences[rules.index(None)]!r}")
    parents, props = {}, {}  # concept -> [parent concepts], concept -> [(adjective, positive)]
    for r in rules:
        if r.obj in PRONTOQA_CONCEPTS:
            parents.setdefault(r.subject, []).append(r.obj)
        else:
            props.setdefault(r.subject, []).append((r.obj, r.positive))
    facts = [_PRONTOQA_FACT.fullmatch(s)[2] for s in sentences[PRONTOQA_RULES:-1]]
    chain = [_PRONTOQA_FACT.fullmatch(prontoqa_sentences(s)[0])[2] for s in rec["steps"][:-1]]
    if chain[0] not in facts:
        fail(f"the walk starts at {chain[0]!r}, which no fact names")
    roles = {"entity": _PRONTOQA_QUERY.fullmatch(sentences[-1])[1],
             "c5 fact first": facts[0] == chain[0]}
    for k, concept in zip(range(PRONTOQA_HOPS, 0, -1), chain):
        own = props.get(concept, [])
        up = parents.get(concept, [])
        if len(own) != 1 or len(up) != 2:
            fail(f"c{k} {concept!r} should have 1 property and 2 parents")
        roles[f"c{k}"], roles[f"c{k} positive"] = concept, own[0][1]
        nxt = chain[PRONTOQA_HOPS - k + 1] if k > 1 else None
        if k > 1 and nxt not in up:
            fail(f"the walk goes {concept!r} -> {nxt!r}, which no rule states")
        # the side parent is the parent off the walk that has a property (c0 has none)
        side = [p for p in up if p != nxt and p in props]
        if len(side) != 1 or len(props[side[0]]) != 1 or side[0] in parents:
            fail(f"c{k} {concept!r} should have exactly one side parent with one property")
        roles[f"d{k}"], roles[f"d{k} positive"] = side[0], props[side[0]][0][1]
    p1, p1_positive = props[chain[-1]][0]
    roots = [p for p in parents[chain[-1]] if p not in props and p not in parents]
    if len(roots) != 1:
        fail("c1 should have one parent with no property and no parent (c0)")
    other = [f for f in facts if f != chain[0]]
    if len(other) != 1 or len(parents.get(other[0], [])) != 1 or len(props.get(other[0], [])) != 1:
        fail("the second fact's concept c' should have one parent and one property")
    decoys = [(s, pos) for s, lst in props.items() for adj, pos in lst
              if adj == p1 and s != chain[-1]]
    if len(decoys) != 1 or decoys[0][1] == p1_positive or decoys[0][0] in parents:
        fail(f"expected one decoy rule giving {p1!r} the opposite sign")
    families = [_prontoqa_family(adj) for lst in props.values() for adj, _ in lst]
    roles.update({
        "c0": roots[0], "c'": other[0], "c' positive": props[other[0]][0][1],
        "decoy": decoys[0][0], "decoy positive": decoys[0][1],
        "rules": rules, "concepts": sorted(set(parents) | set(props) |
                                           {p for up in parents.values() for p in up}),
        "families": sorted(set(families)),
        "step rule positions": [sentences.index(prontoqa_sentences(s)[1])
                                for s in rec["steps"][:-1]],
    })
    return roles


def _prontoqa_family(adjective):
    for family, adjectives in PRONTOQA_FAMILIES.items():
        if adjective in adjectives:
            return family
    return "(unknown: " + adjective + ")"


def prontoqa_stats(records):
    """Statistics of a list of records: {"n": int, "structure": {name: sorted distinct values},
    "shares": {name: fraction}, "trials": {name: what each share is a fraction of}}.
    Every record must be valid and shaped as above (ValueError names its index)."""
    structure = {name: set() for name in (
        "sentences per question", "rules per question", "steps per record",
        "sentences per step", "concepts per question", "property families per question")}
    counts = {}  # share name -> [hits, total]

    def count(name, hit, total=1):
        c = counts.setdefault(name, [0, 0])
        c[0] += hit
        c[1] += total
    for i, rec in enumerate(records):
        roles = read_prontoqa_roles(rec, f"record {i}")
        structure["sentences per question"].add(len(prontoqa_sentences(rec["question"])))
        structure["rules per question"].add(len(roles["rules"]))
        structure["steps per record"].add(len(rec["steps"]))
        structure["sentences per step"].add(
            ",".join(str(len(prontoqa_sentences(s))) for s in rec["steps"]))
        structure["concepts per question"].add(len(roles["concepts"]))
        structure["property families per question"].add(len(roles["families"]))
        for style in ("plural", "each", "every"):
            count(f"rules phrased {style!r}", sum(r.style == style for r in roles["rules"]),
                  len(roles["rules"]))
        prop_rules = [r for r in roles["rules"] if r.obj not in PRONTOQA_CONCEPTS]
        count("property rules negated", sum(not r.positive for r in prop_rules), len(prop_rules))
        count("answer True", rec["answer"] == "True")
        count("query negated", " is not " in prontoqa_sentences(rec["question"])[-1])
        count("fact about c5 comes first", roles["c5 fact first"])
        count("c1 property positive", roles["c1 positive"])
        count("c2..c5 properties positive",
              sum(roles[f"c{k} positive"] for k in range(2, 6)), 4)
        count("d1..d5 properties positive",
              sum(roles[f"d{k} positive"] for k in range(1, 6)), 5)
        count("c' property positive", roles["c' positive"])
        count("decoy rule positive", roles["decoy positive"])
        # 0 = first rule of the question, 1 = last (23rd): about 0.5 if the shuffle is fair
        count("step rules' mean position (0..1)",
              sum(roles["step rule positions"]) / (PRONTOQA_RULES - 1), PRONTOQA_HOPS)
        for name in PRONTOQA_ENTITIES:
            count(f"entity {name}", roles["entity"] == name)
        for family in PRONTOQA_FAMILIES:
            count(f"family {family} used", family in roles["families"])
        for concept in PRONTOQA_CONCEPTS:
            count(f"concept {concept} used", concept in roles["concepts"])
    return {"n": len(records),
            "structure": {k: sorted(v) for k, v in structure.items()},
            "shares": {k: hit / total for k, (hit, total) in counts.items()},
            "trials": {k: total for k, (hit, total) in counts.items()}}


def share_tolerance(p_gen, n_gen, p_ref, n_ref, floor=0.01, z=4.0):
    """How far two measured shares may differ by chance alone: z standard errors of the
    difference of two independent samples of n_gen and n_ref trials, but never under `floor`
    (differences under a point do not matter for training, however big the samples)."""
    p = (p_gen * n_gen + p_ref * n_ref) / (n_gen + n_ref)  # pooled: the common share if equal
    return max(floor, z * math.sqrt(p * (1 - p) * (1 / n_gen + 1 / n_ref)))


def compare_prontoqa_stats(generated, reference, floor=0.01, z=4.0):
    """Compare two prontoqa_stats results: (a side-by-side table as text, whether they agree).
    Structure must agree exactly. A share agrees when the difference is within
    share_tolerance: 4 standard errors of sampling noise, at least 1 point. Why not a flat
    3 points: for 2,000 against 9,000 questions the noise on a 50% per-question share has an
    s.d. of 1.2 points, so a flat 3 points fails about one seed in ten on a correct generator,
    while per-rule shares (46,000 rules) are known to within a fraction of a point and deserve
    a tighter bound. With 4 s.e. the bounds are about 4.9 points on 50% per-question shares,
    3-4 on the name/family rows, 2.2 on c2..c5 (four per question) and 1 on the per-rule rows;
    the slips that matter, e.g. the chain properties left at the a-priori 2/3 (6 points on
    c2..c5, 13 on c1), are well outside them."""
    rows, ok = [], True
    width = max(len(k) for k in list(generated["structure"]) + list(generated["shares"]))
    line = (f"{'statistic':<{width}}  {'generated':>11}  {'reference':>11}  {'diff':>6}  "
            f"{'tol':>5}  ok")
    rows += [line, "-" * len(line)]
    rows.append(f"{'records':<{width}}  {generated['n']:>11}  {reference['n']:>11}")
    for name, gen in generated["structure"].items():
        ref = reference["structure"].get(name)
        same = gen == ref
        ok &= same
        fmt = lambda v: "/".join(str(x) for x in v) if v is not None else "-"
        rows.append(f"{name:<{width}}  {fmt(gen):>11}  {fmt(ref):>11}  {'':>6}  "
                    f"{'exact':>5}  {'yes' if same else 'NO'}")
    for name, gen in generated["shares"].items():
        ref = reference["shares"].get(name)
        if ref is None:
            ok = False
            rows.append(f"{name:<{width}}  {gen:>11.3f}  {'-':>11}  {'':>6}  {'':>5}  NO")
            continue
        tol = share_tolerance(gen, generated["trials"][name], ref, reference["trials"][name],
                              floor, z)
        close = abs(gen - ref) <= tol
        ok &= close
        rows.append(f"{name:<{width}}  {gen:>11.3f}  {ref:>11.3f}  {gen - ref:>+6.3f}  "
                    f"{tol:>5.3f}  {'yes' if close else 'NO'}")
    rows.append(f"agree: {'yes' if ok else 'NO'} (structure exact; each share within {z:g} "
                f"standard errors of sampling noise, at least {floor * 100:g} point)")
    return "\n".join(rows), ok

# -----------------------------------------------------------------------------
# GSM8k: iCoT's line format `question||<<a=b>> <<c=d>> #### answer`

LFS_POINTER = "version https://git-lfs.github.com/spec"


def parse_icot_line(line, where):
    """'question||chain #### answer' -> (question, chain, answer), stripped."""
    if line.count("||") != 1:
        raise ValueError(f"{where}: expected exactly one '||' between question and chain, "
                         f"found {line.count('||')}")
    question, rest = line.split("||")
    if rest.count("####") != 1:
        raise ValueError(f"{where}: expected exactly one '####' before the answer, "
                         f"found {rest.count('####')}")
    chain, answer = rest.split("####")
    question, answer = question.strip(), answer.strip()
    if not question:
        raise ValueError(f"{where}: empty question")
    if not answer:
        raise ValueError(f"{where}: empty answer")
    return question, chain.strip(), answer


def read_lines(path):
    # split on "\n" only: str.splitlines() would also split on U+2028, which occurs inside questions
    text = Path(path).read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def load_gsm8k_txt(path):
    """iCoT GSM8k file; steps are the chain split on spaces (one equation per step)."""
    lines = read_lines(path)
    if lines and lines[0].startswith(LFS_POINTER):
        raise ValueError(f"{path}: line 1: this is a Git LFS pointer, not the data; fetch the file "
                         f"from media.githubusercontent.com (see GSM8K_LFS_URL) or with git lfs")
    records = []
    for n, line in enumerate(lines, start=1):
        question, chain, answer = parse_icot_line(line, f"{path}: line {n}")
        records.append(Record(question, chain.split(), answer))
    return records


def write_gsm8k_txt(records, path):
    lines = []
    for i, rec in enumerate(records):
        where = f"{path}: record {i}"
        check_record(rec, where)
        if "||" in rec.question or "####" in rec.question or "\n" in rec.question:
            raise ValueError(f"{where}: question contains '||', '####' or a newline")
        if any(len(s.split()) != 1 or "####" in s for s in rec.steps):
            raise ValueError(f"{where}: a step contains whitespace or '####' (steps are split on spaces)")
        lines.append(f"{rec.question}||{' '.join(rec.steps)} #### {rec.answer}\n")
    write_checked(path, "".join(lines), load_gsm8k_txt)


def normalise_question(text):
    return " ".join(text.split())


def gsm8k_equations_from_original(original_path, valid_path):
    """
    iCoT-style training records from the original GSM8k solutions (one line each,
    'question||worked solution with <<a=b>> annotations #### answer'): the steps are the <<...>>
    annotations only, in order. Questions in valid_path are excluded (compared after whitespace
    normalisation). A solution without any annotation (about 1.3% of GSM8k) is kept with no steps,
    as iCoT's own files do (`question|| #### answer`: 6 of the 500 valid lines); both counts are printed.
    """
    valid = {normalise_question(r.question) for r in load_gsm8k_txt(valid_path)}
    lines = read_lines(original_path)
    records, found, n_excluded, n_unannotated = [], set(), 0, 0
    for n, line in enumerate(lines, start=1):
        question, solution, answer = parse_icot_line(line, f"{original_path}: line {n}")
        key = normalise_question(question)
        if key in valid:
            found.add(key)
            n_excluded += 1
            continue
        steps = re.findall(r"<<[^<>]*>>", solution)
        n_unannotated += not steps
        records.append(Record(question, steps, answer))
    print(f"gsm8k offline: {len(lines)} questions in {original_path}; {n_excluded} excluded because "
          f"they are in {valid_path} ({len(valid) - len(found)} of its {len(valid)} questions not found); "
          f"{n_unannotated} of the kept have no <<...>> annotation, so no steps; {len(records)} kept")
    return records

# -----------------------------------------------------------------------------
# downloads and the on-disk cache: data_dir/<name>/<file>

# base URLs are module constants so that tests can point them at a local server
PROSQA_URL = "https://raw.githubusercontent.com/facebookresearch/coconut/main/data"
GSM8K_URL = "https://raw.githubusercontent.com/da03/Internalize_CoT_Step_by_Step/main/data/gsm8k"
GSM8K_LFS_URL = "https://media.githubusercontent.com/media/da03/Internalize_CoT_Step_by_Step/main/data/gsm8k"
DOWNLOAD_TIMEOUT = 60  # seconds without data before giving up

DATASETS = ("prosqa", "prontoqa", "gsm8k")
SPLITS = ("train", "valid", "test")
FILE_NAMES = {"prosqa": "prosqa_{split}.json", "prontoqa": "prontoqa_{split}.json", "gsm8k": "{split}.txt"}
PRONTOQA_SIZES = {"train": 9000, "valid": 200, "test": 800}


def dataset_path(name, split, data_dir="data"):
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {DATASETS}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return Path(data_dir) / name / FILE_NAMES[name].format(split=split)


def dataset_url(name, split):
    """Where the released file is, or None (ProntoQA: no Coconut-format file is published)."""
    if name == "prosqa":
        return f"{PROSQA_URL}/prosqa_{split}.json"
    if name == "gsm8k":  # train.txt is stored with Git LFS: raw.githubusercontent serves a pointer
        return f"{GSM8K_LFS_URL if split == 'train' else GSM8K_URL}/{split}.txt"
    return None


def loader_for(name):
    return load_gsm8k_txt if name == "gsm8k" else load_json_records


def what_to_do_instead(name, split, path):
    copy = f"copy the released file to {path}"
    if name == "prosqa":  # the released sizes; another seed per split
        n, seed = {"train": (17886, 0), "valid": (300, 1), "test": (500, 2)}[split]
        return f"{copy}, or generate one: python data.py generate-prosqa --n {n} --seed {seed} --out {path}"
    if name == "prontoqa":
        return (f"generate it: python data.py generate-prontoqa --n {PRONTOQA_SIZES[split]} "
                f"--seed <seed> --out {path} (use a different seed per split), or {copy}")
    if name == "gsm8k" and split == "train":
        return (f"{copy}, or build an equation-only train set from the original GSM8k: python data.py "
                f"gsm8k-offline --original train_original.txt --valid {path.parent / 'valid.txt'} --out {path}")
    return copy


def download(url, path, load):
    """Fetch url into path. The file appears only when complete and load() can read it."""
    tmp = temp_path_for(path)
    try:
        with open(tmp, "wb") as f, urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as resp:
            expected, received = resp.headers.get("Content-Length"), 0
            while chunk := resp.read(1 << 20):
                f.write(chunk)
                received += len(chunk)
        # http.client returns a short body without complaint when the connection drops early
        if expected is not None and received != int(expected):
            raise ValueError(f"truncated download: {received} of {expected} bytes")
        load(tmp)
        os.replace(tmp, path)
    except urllib.error.HTTPError as e:  # the error holds the server's response open: close it
        e.close()
        raise
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_dataset(name, split, data_dir="data"):
    """Records of one split, read from data_dir/<name>/<file>, downloaded there first if missing."""
    path = dataset_path(name, split, data_dir)
    if not path.exists():
        url = dataset_url(name, split)
        if url is None:
            raise FileNotFoundError(f"{path} not found; no released file to download for {name}: "
                                    f"{what_to_do_instead(name, split, path)}")
        print(f"downloading {url} -> {path}")
        try:
            download(url, path, loader_for(name))
        except (OSError, ValueError, http.client.HTTPException) as e:
            raise RuntimeError(f"could not download {name} {split} from {url} to {path}: {e}\n"
                               f"instead: {what_to_do_instead(name, split, path)}") from e
    return loader_for(name)(path)

# -----------------------------------------------------------------------------
# command line

def cmd_generate(args):
    if args.dataset == "prosqa":
        generate, validate = generate_prosqa, validate_prosqa
    else:
        generate, validate = generate_prontoqa, validate_prontoqa
    difficulty = {k: getattr(args, k) for k in PROSQA_DEFAULTS if getattr(args, k, None) is not None}
    items = generate(args.n, args.seed, **difficulty)  # JSON objects, as in the released files
    for i, item in enumerate(items):     # every record checked before anything is written
        validate(item, f"generated {args.dataset} record {i}")
    write_json_items(items, args.out)
    print(f"wrote {len(items)} {args.dataset} records to {args.out}")


def cmd_stats(args):
    if args.dataset == "prosqa":
        stats, compare, validate = prosqa_stats, compare_prosqa_stats, validate_prosqa
    else:
        stats, compare, validate = prontoqa_stats, compare_prontoqa_stats, validate_prontoqa

    def checked(path):  # the statistics read the graph fields: a broken record is named, not counted
        items = load_json_items(path)
        for i, item in enumerate(items):
            validate(item, f"{path}: record {i}")
        return items

    s = stats(checked(args.file))
    if args.against is None:
        print(json.dumps(s, indent=1, default=lambda o: sorted(o) if isinstance(o, (set, frozenset)) else str(o)))
        return 0
    text, ok = compare(s, stats(checked(args.against)))
    print(text)
    return 0 if ok else 1


def cmd_gsm8k_offline(args):
    records = gsm8k_equations_from_original(args.original, args.valid)
    write_gsm8k_txt(records, args.out)
    print(f"wrote {len(records)} records to {args.out}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Coconut datasets: generate, compare, convert.")
    sub = parser.add_subparsers(dest="command", required=True)
    for dataset in ("prosqa", "prontoqa"):
        p = sub.add_parser(f"generate-{dataset}", help=f"generate a {dataset} JSON file")
        p.add_argument("--n", type=int, required=True, help="number of questions")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--out", required=True, help="output JSON file")
        if dataset == "prosqa":  # out-of-distribution sets: longer chains, bigger or denser graphs
            for name, default in PROSQA_DEFAULTS.items():
                if isinstance(default, bool):
                    p.add_argument(f"--{name}", action="store_true", default=None, help=f"default {default}")
                else:
                    p.add_argument(f"--{name}", type=type(default), help=f"default {default}")
        p.set_defaults(func=cmd_generate, dataset=dataset)
    p = sub.add_parser("stats", help="statistics of a file, optionally compared with a reference file")
    p.add_argument("dataset", choices=("prosqa", "prontoqa"))
    p.add_argument("file")
    p.add_argument("--against", default=None, help="reference file, e.g. the released valid set")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("gsm8k-offline", help="equation-only GSM8k train set from the original solutions")
    p.add_argument("--original", required=True, help="original GSM8k train, 'question||solution #### answer'")
    p.add_argument("--valid", required=True, help="iCoT valid.txt; its questions are excluded")
    p.add_argument("--out", required=True, help="output file in the iCoT format")
    p.set_defaults(func=cmd_gsm8k_offline)
    args = parser.parse_args(argv)
    if getattr(args, "n", 1) < 1:
        parser.error("--n must be >= 1")
    return args.func(args) or 0


if __name__ == "__main__":
    raise SystemExit(main())
