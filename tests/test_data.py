"""
Tests of data.py: tokenizer, loaders, downloads, training examples of every method, batching, answers.
Run: cd /work/main && TIKTOKEN_CACHE_DIR=/work/shared/tiktoken_cache python -m pytest -q tests/test_data.py
"""

import http.server
import json
import math
import random
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import data  # noqa: E402
from data import Record, build_example, collate  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared/data"
NO = -100


@pytest.fixture(scope="module")
def tok():
    return data.Tokenizer()


# a tiny hand-made record: 3 steps
REC = Record(question="Is Tom a wumpus?", steps=["Tom is a rempus.", "Every rempus is a yumpus.",
                                                  "Every yumpus is a wumpus."], answer="Tom is a wumpus.")


@pytest.fixture(scope="module")
def pieces(tok):
    """The token pieces of REC, each encoded separately exactly as coconut.md section 3 lays them out."""
    q = tok.encode(REC.question + "\n")
    s1, s2, s3 = (tok.encode(s + "\n") for s in REC.steps)
    a = tok.encode("### " + REC.answer) + [tok.eos]
    return q, s1, s2, s3, a


def assert_example(ex, ids, n_no_loss, n_latent, latent_start):
    assert ex.ids == ids
    assert ex.labels == [NO] * n_no_loss + ids[n_no_loss:]
    assert ex.n_latent == n_latent
    assert ex.latent_start == latent_start

# -----------------------------------------------------------------------------
# tokenizer


def test_special_token_ids_follow_endoftext(tok):
    assert (tok.eos, tok.bot, tok.eot, tok.latent, tok.pause) == (50256, 50257, 50258, 50259, 50260)
    assert tok.vocab_size == data.VOCAB_SIZE == 50261
    assert tok.encode("Tom is a wumpus.") == [13787, 318, 257, 266, 931, 385, 13]  # GPT-2 BPE ids
    assert tok.decode([tok.bot, tok.latent, tok.eot, tok.pause, tok.eos]) == \
        "<|start-latent|><|latent|><|end-latent|><pause><|endoftext|>"


def test_missing_bpe_files_say_how_to_work_offline(monkeypatch):
    def offline(name):  # what tiktoken does without internet and without its files in the cache
        raise ConnectionError("Failed to resolve 'openaipublic.blob.core.windows.net'")
    monkeypatch.setattr(data.tiktoken, "get_encoding", offline)
    with pytest.raises(RuntimeError, match="TIKTOKEN_CACHE_DIR") as e:
        data.Tokenizer()
    assert isinstance(e.value.__cause__, ConnectionError)


def test_special_strings_in_text_stay_plain_text(tok):
    for s in ["<|endoftext|>", data.BOT, data.EOT, data.LATENT, data.PAUSE]:
        ids = tok.encode("a " + s + " b")
        assert all(i < tok.eos for i in ids), s
        assert tok.decode(ids) == "a " + s + " b"
    with pytest.raises(ValueError, match="outside the vocabulary"):
        tok.decode([data.VOCAB_SIZE])

# -----------------------------------------------------------------------------
# training examples: hand-checked layouts and label masks (3 steps, c=2, max_latent_stage=2)


def test_coconut_stage0_is_cot_with_empty_thought_markers(tok, pieces):
    q, s1, s2, s3, a = pieces
    ex = build_example(tok, REC, "coconut", 0, c=2, max_latent_stage=2)
    assert_example(ex, q + [tok.bot, tok.eot] + s1 + s2 + s3 + a, len(q) + 2, 0, len(q) + 1)


def test_coconut_stage_k_replaces_k_steps_by_k_times_c_thoughts(tok, pieces):
    q, s1, s2, s3, a = pieces
    L = tok.latent
    ex = build_example(tok, REC, "coconut", 1, c=2, max_latent_stage=2)
    assert_example(ex, q + [tok.bot, L, L, tok.eot] + s2 + s3 + a, len(q) + 4, 2, len(q) + 1)
    ex = build_example(tok, REC, "coconut", 2, c=2, max_latent_stage=2)
    assert_example(ex, q + [tok.bot, L, L, L, L, tok.eot] + s3 + a, len(q) + 6, 4, len(q) + 1)


def test_coconut_beyond_max_stage_removes_all_language(tok, pieces):
    q, s1, s2, s3, a = pieces
    L = tok.latent
    for stage in (3, 10):  # max_latent_stage + 1 and anything later
        ex = build_example(tok, REC, "coconut", stage, c=2, max_latent_stage=2)
        assert_example(ex, q + [tok.bot] + [L] * 4 + [tok.eot] + a, len(q) + 6, 4, len(q) + 1)


def test_coconut_without_eot_goes_on_in_language_right_after_the_last_thought(tok, pieces):
    q, s1, s2, s3, a = pieces
    L = tok.latent
    ex = build_example(tok, REC, "coconut", 0, c=2, max_latent_stage=2, eot=False)
    assert_example(ex, q + [tok.bot] + s1 + s2 + s3 + a, len(q) + 1, 0, len(q) + 1)
    ex = build_example(tok, REC, "coconut", 1, c=2, max_latent_stage=2, eot=False)
    assert_example(ex, q + [tok.bot, L, L] + s2 + s3 + a, len(q) + 3, 2, len(q) + 1)
    ex = build_example(tok, REC, "coconut", 3, c=2, max_latent_stage=2, eot=False)
    assert_example(ex, q + [tok.bot] + [L] * 4 + a, len(q) + 5, 4, len(q) + 1)


def test_coconut_stage_beyond_steps_but_within_max_keeps_k_times_c(tok, pieces):
    q, s1, s2, s3, a = pieces
    ex = build_example(tok, REC, "coconut", 4, c=2, max_latent_stage=6)  # 3 steps, stage 4
    assert_example(ex, q + [tok.bot] + [tok.latent] * 8 + [tok.eot] + a, len(q) + 10, 8, len(q) + 1)


def test_final_stage_pads_short_examples_only_with_pad_latent_to_max(tok):
    short = Record("Is Rex a lempus?", ["Rex is a lempus."], "Rex is a lempus.")
    q = tok.encode(short.question + "\n")
    a = tok.encode("### " + short.answer) + [tok.eos]
    padded = build_example(tok, short, "coconut", 3, c=2, max_latent_stage=2, pad_latent_to_max=True)
    assert_example(padded, q + [tok.bot] + [tok.latent] * 4 + [tok.eot] + a, len(q) + 6, 4, len(q) + 1)
    unpadded = build_example(tok, short, "coconut", 3, c=2, max_latent_stage=2, pad_latent_to_max=False)
    assert_example(unpadded, q + [tok.bot] + [tok.latent] * 2 + [tok.eot] + a, len(q) + 4, 2, len(q) + 1)


def test_no_curriculum_is_always_the_final_stage(tok, pieces):
    for stage in (0, 1, 5):
        ex = build_example(tok, REC, "no-curriculum", stage, c=2, max_latent_stage=2)
        assert ex == build_example(tok, REC, "coconut", 3, c=2, max_latent_stage=2)


def test_no_thought_removes_steps_without_thoughts_or_markers(tok, pieces):
    q, s1, s2, s3, a = pieces
    assert_example(build_example(tok, REC, "no-thought", 0, c=2, max_latent_stage=2),
                   q + s1 + s2 + s3 + a, len(q), 0, len(q))
    assert_example(build_example(tok, REC, "no-thought", 1, c=2, max_latent_stage=2),
                   q + s2 + s3 + a, len(q), 0, len(q))
    assert_example(build_example(tok, REC, "no-thought", 3, c=2, max_latent_stage=2),
                   q + a, len(q), 0, len(q))


def test_pause_as_thought_uses_real_pause_tokens_in_coconut_layout(tok, pieces):
    q, s1, s2, s3, a = pieces
    P = tok.pause
    ex = build_example(tok, REC, "pause-as-thought", 1, c=2, max_latent_stage=2)
    assert_example(ex, q + [tok.bot, P, P, tok.eot] + s2 + s3 + a, len(q) + 4, 0, len(q) + 1)
    ex = build_example(tok, REC, "pause-as-thought", 3, c=2, max_latent_stage=2)
    assert_example(ex, q + [tok.bot, P, P, P, P, tok.eot] + a, len(q) + 6, 0, len(q) + 1)


def test_pause_baseline_puts_pauses_between_question_and_answer(tok, pieces):
    q, s1, s2, s3, a = pieces
    ex = build_example(tok, REC, "pause", 0, c=2, max_latent_stage=2)  # default: 2 * 2 pauses
    assert_example(ex, q + [tok.pause] * 4 + a, len(q) + 4, 0, len(q))
    ex = build_example(tok, REC, "pause", 0, c=2, max_latent_stage=2, n_pause=3)
    assert_example(ex, q + [tok.pause] * 3 + a, len(q) + 3, 0, len(q))


def test_cot_and_no_cot_mask_only_the_question(tok, pieces):
    q, s1, s2, s3, a = pieces
    assert_example(build_example(tok, REC, "cot", 0), q + s1 + s2 + s3 + a, len(q), 0, len(q))
    assert_example(build_example(tok, REC, "no-cot", 0), q + a, len(q), 0, len(q))


def test_icot_removes_chain_tokens_from_the_start(tok, pieces):
    q, s1, s2, s3, a = pieces
    chain = s1 + s2 + s3
    for removed in (0, 1, len(s1) + 2, len(chain), len(chain) + 50):
        ex = build_example(tok, REC, "icot", 0, icot_removed=removed)
        assert_example(ex, q + chain[removed:] + a, len(q), 0, len(q))


def test_every_supervised_label_is_its_token_and_eos_is_supervised(tok):
    for method in data.METHODS:
        for stage in range(5):
            ex = build_example(tok, REC, method, stage, c=2, max_latent_stage=2, icot_removed=stage)
            assert len(ex.ids) == len(ex.labels)
            assert all(l == NO or l == i for i, l in zip(ex.ids, ex.labels))
            assert ex.labels[-1] == tok.eos
            special = {tok.bot, tok.eot, tok.latent, tok.pause}
            assert all(l == NO for i, l in zip(ex.ids, ex.labels) if i in special), method


def test_question_loss_labels_the_question_tokens_and_nothing_more(tok, pieces):
    q = pieces[0]
    for method in data.METHODS:
        for stage in range(5):
            plain = build_example(tok, REC, method, stage, c=2, max_latent_stage=2)
            ex = build_example(tok, REC, method, stage, c=2, max_latent_stage=2, question_loss=True)
            assert (ex.ids, ex.n_latent, ex.latent_start) == (plain.ids, plain.n_latent, plain.latent_start)
            assert ex.labels[:len(q)] == q, method  # the question: each token its own label
            assert ex.labels[len(q):] == plain.labels[len(q):], method  # markers, thoughts, pauses: none


def test_bad_method_stage_or_c_is_rejected(tok):
    with pytest.raises(ValueError, match="unknown method"):
        build_example(tok, REC, "coconutt", 0)
    with pytest.raises(ValueError, match="stage"):
        build_example(tok, REC, "coconut", -1)
    with pytest.raises(ValueError, match="c .thoughts per step"):
        build_example(tok, REC, "coconut", 1, c=0)
    with pytest.raises(ValueError, match="needs rng"):
        build_example(tok, REC, "coconut", 1, uniform_prob=0.3)
    with pytest.raises(ValueError, match="stage mixing"):
        build_example(tok, REC, "cot", 1, uniform_prob=0.3, rng=random.Random(0))
    with pytest.raises(ValueError, match="unknown method"):
        data.inference_prompt(tok, REC, "nope", 6)


def test_stage_mixing_draws_every_stage_from_0_to_n_steps(tok):
    rng = random.Random(0)
    seen = Counter()
    for _ in range(400):
        ex = build_example(tok, REC, "coconut", 1, c=2, max_latent_stage=2, uniform_prob=1.0, rng=rng)
        seen[ex.n_latent] += 1
    # stages 0, 1, 2 give 0, 2, 4 thoughts; stage 3 (= n_steps > max_latent_stage) is the final
    # stage with 4 thoughts: so 4 thoughts about twice as often as 0 or 2, and nothing else
    assert set(seen) == {0, 2, 4}
    assert 60 <= seen[0] <= 140 and 60 <= seen[2] <= 140 and 140 <= seen[4] <= 260


def test_stage_mixing_off_keeps_the_scheduled_stage_and_leaves_rng_untouched(tok):
    rng = random.Random(0)
    state = rng.getstate()
    ex = build_example(tok, REC, "coconut", 1, c=2, max_latent_stage=2, uniform_prob=0.0, rng=rng)
    assert ex.n_latent == 2 and rng.getstate() == state
    n_mixed = sum(build_example(tok, REC, "coconut", 1, c=2, max_latent_stage=2, uniform_prob=0.3,
                                rng=rng).n_latent != 2 for _ in range(1000))
    # mixed examples land on a stage other than 1 with probability 3/4: expect 0.3 * 0.75 * 1000 = 225
    assert 170 <= n_mixed <= 280


def test_stage_for_epoch_follows_the_prosqa_schedule():
    schedule = {0: 0, 4: 0, 5: 1, 9: 1, 10: 2, 34: 6, 35: 7, 49: 7, 200: 7}
    for epoch, stage in schedule.items():
        assert data.stage_for_epoch(epoch, 5, 6) == stage, epoch
    with pytest.raises(ValueError):
        data.stage_for_epoch(1, 0, 6)
    # GSM8k: 6 epochs of stage 0, then 3 per stage, 3 latent stages plus the all-latent one
    stages = [data.stage_for_epoch(e, 3, 3, stage0_epochs=6) for e in range(25)]
    assert stages[:6] == [0] * 6 and stages[6:9] == [1] * 3 and stages[12:15] == [3] * 3
    assert stages[15:] == [4] * 10


def test_inference_prompts_per_method(tok, pieces):
    q = pieces[0]
    assert data.inference_prompt(tok, REC, "coconut", 6) == q + [tok.bot]
    assert data.inference_prompt(tok, REC, "no-curriculum", 6) == q + [tok.bot]
    assert data.inference_prompt(tok, REC, "pause-as-thought", 3) == q + [tok.bot] + [tok.pause] * 3 + [tok.eot]
    assert data.inference_prompt(tok, REC, "pause", 3) == q + [tok.pause] * 3
    for m in ("cot", "no-cot", "icot", "no-thought"):
        assert data.inference_prompt(tok, REC, m, 6) == q

# -----------------------------------------------------------------------------
# iCoT removal schedule


def test_icot_removal_grows_by_tokens_per_epoch():
    assert [data.icot_tokens_removed(e) for e in range(4)] == [0, 8, 16, 24]
    assert data.icot_tokens_removed(2, tokens_per_epoch=3) == 6
    assert data.icot_tokens_removed(1.5, tokens_per_epoch=8) == 12  # part-way through epoch 1
    with pytest.raises(ValueError):
        data.icot_tokens_removed(1, smoothing_lambda=-1.0)
    assert data.icot_tokens_removed(1, smoothing_lambda=0.0, rng=random.Random(0)) == 8  # smoothing off


def test_icot_smoothing_offset_is_geometric_with_ratio_exp_minus_lambda():
    rng, lam, n = random.Random(0), 1.0, 20000
    offsets = Counter(data.icot_tokens_removed(3, 8, lam, rng) - 24 for _ in range(n))
    assert min(offsets) == 0
    q = math.exp(-lam)
    for o in range(3):  # P(o) = (1 - q) q^o
        expected = n * (1 - q) * q ** o
        assert abs(offsets[o] - expected) < 4 * math.sqrt(expected), (o, offsets[o], expected)
    # default lambda = 4: an offset is rare (P(o >= 1) = exp(-4) ~ 1.8%)
    big = sum(data.icot_tokens_removed(0, 8, 4.0, rng) > 0 for _ in range(n))
    assert abs(big - n * math.exp(-4)) < 4 * math.sqrt(n * math.exp(-4))

# -----------------------------------------------------------------------------
# batching


def test_collate_aligns_latent_columns_across_rows(tok):
    long_q = Record("Every wumpus is a yumpus. Every yumpus is a rempus. Is Tom a rempus?",
                    ["Tom is a wumpus.", "Every wumpus is a yumpus.", "Every yumpus is a rempus."], "Tom is a rempus.")
    exs = [build_example(tok, REC, "coconut", 2, c=2, max_latent_stage=2),      # short question, 4 thoughts
           build_example(tok, long_q, "coconut", 1, c=2, max_latent_stage=2),   # long question, 2 thoughts
           build_example(tok, REC, "coconut", 0, c=2, max_latent_stage=2)]      # <bot><eot>, no thoughts
    b = collate(exs, tok)
    B, T = b["input_ids"].shape
    col = b["latent_col"]
    assert B == 3 and col == max(ex.latent_start for ex in exs) == exs[1].latent_start
    assert b["max_latent"] == 4 and b["n_latent"].tolist() == [4, 2, 0]
    assert b["n_tokens"] == sum(len(ex.ids) for ex in exs) == int(b["attn_mask"].sum())
    for r, ex in enumerate(exs):
        row = b["input_ids"][r]
        assert row[col - 1] == tok.bot
        assert row[col:col + ex.n_latent].tolist() == [tok.latent] * ex.n_latent
        assert row[col + ex.n_latent] == tok.eot
        left = col - ex.latent_start
        real = b["attn_mask"][r].nonzero().squeeze(1)
        assert real.tolist() == list(range(left, left + len(ex.ids)))  # one contiguous block
        assert row[real].tolist() == ex.ids
        assert b["position_ids"][r][real].tolist() == list(range(len(ex.ids)))
        pads = ~b["attn_mask"][r]
        assert (row[pads] == tok.eos).all() and (b["position_ids"][r][pads] == 0).all()
        assert (b["targets"][r][pads] == NO).all()
        assert b["targets"][r][real].tolist() == ex.labels[1:] + [NO]  # position t predicts t+1
    assert max(l + len(ex.ids) for l, ex in zip([col - ex.latent_start for ex in exs], exs)) == T
    assert (b["targets"][:, -1] == NO).all()


def test_collate_label_positions_point_at_next_token_targets(tok):
    exs = [build_example(tok, REC, "coconut", s, c=1, max_latent_stage=3) for s in (1, 3, 4)]
    b = collate(exs, tok)
    flat_t, flat_ids = b["targets"].view(-1), b["input_ids"].view(-1)
    assert b["label_pos"].tolist() == (flat_t != NO).nonzero().squeeze(1).tolist()
    assert torch.equal(b["label_ids"], flat_t[b["label_pos"]])
    assert torch.equal(b["label_ids"], flat_ids[b["label_pos"] + 1])  # the target is the next input token
    assert len(b["label_pos"]) == sum(sum(l != NO for l in ex.labels) for ex in exs)


def test_collate_does_not_shift_rows_without_thoughts(tok):
    exs = [build_example(tok, REC, "cot", 0), build_example(tok, Record("Q?", ["a"], "b"), "cot", 0)]
    b = collate(exs, tok)
    assert b["latent_col"] == 0 and b["max_latent"] == 0
    assert b["attn_mask"][:, 0].all()  # no left padding: every row starts at column 0
    stage0 = [build_example(tok, REC, "coconut", 0), build_example(tok, Record("Q?", ["a"], "b"), "coconut", 0)]
    b = collate(stage0, tok)
    assert b["latent_col"] == 0 and b["attn_mask"][:, 0].all()

# -----------------------------------------------------------------------------
# lengths


def test_over_long_example_is_an_error_naming_where_and_index(tok, capsys):
    exs = [build_example(tok, REC, "no-cot", 0), build_example(tok, REC, "cot", 0)]
    limit = len(exs[0].ids)
    with pytest.raises(ValueError, match=r"prosqa train: example 1 has \d+ tokens > block_size"):
        data.check_lengths(exs, limit, "prosqa train")
    kept = data.check_lengths(exs, limit, "prosqa train", drop=True)
    assert kept == exs[:1]
    assert "dropped 1 of 2" in capsys.readouterr().out
    assert data.check_lengths(exs, 1024, "x") == exs

# -----------------------------------------------------------------------------
# loaders and their errors


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_json_records_keep_prosqa_graph(tmp_path):
    items = [{"question": "Is Tom a a or b?", "answer": "Tom is a a.", "steps": ["Tom is a a."],
              "idx_to_symbol": ["Tom", "a", "b"], "edges": [[0, 1]], "root": 0, "target": 1, "neg_target": 2},
             {"question": "True or false: Max is hot.", "steps": ["Max is hot."], "answer": "True"}]
    recs = data.load_json_records(write(tmp_path / "x.json", json.dumps(items)))
    assert recs[0].graph == {k: items[0][k] for k in data.GRAPH_FIELDS}
    assert recs[1] == Record("True or false: Max is hot.", ["Max is hot."], "True", None)
    data.write_json_records(recs, tmp_path / "y.json")
    assert json.loads((tmp_path / "y.json").read_text()) == items


def test_malformed_json_names_file_and_record(tmp_path):
    good = json.dumps({"question": "q", "steps": ["s"], "answer": "a"})
    p = write(tmp_path / "bad.json", f"[{good}, {good}, {good[:-5]}, {good}]")
    with pytest.raises(ValueError, match=r"bad\.json: record 2: malformed JSON"):
        data.load_json_records(p)
    p = write(tmp_path / "trunc.json", f"[{good}, {good[:10]}")
    with pytest.raises(ValueError, match=r"trunc\.json: record 1: malformed JSON"):
        data.load_json_records(p)


@pytest.mark.parametrize("item, message", [
    ({"question": "q", "steps": ["s"]}, "missing field 'answer'"),
    ({"steps": ["s"], "answer": "a"}, "missing field 'question'"),
    ({"question": "  ", "steps": ["s"], "answer": "a"}, "empty question"),
    ({"question": "q", "steps": "s", "answer": "a"}, "'steps' must be a list of strings"),
    ({"question": "q", "steps": ["s"], "answer": "a", "edges": []}, "missing field 'idx_to_symbol'"),
])
def test_bad_record_names_file_index_and_fault(tmp_path, item, message):
    good = {"question": "q", "steps": ["s"], "answer": "a"}
    p = write(tmp_path / "d.json", json.dumps([good, good, item]))
    with pytest.raises(ValueError, match=rf"d\.json: record 2: {message}"):
        data.load_json_records(p)


def test_gsm8k_line_format_is_parsed(tmp_path):
    p = write(tmp_path / "g.txt", "How many? ||<<4-2=2>> <<2/.5=4>> #### 4\nAnd now?||<<1,000+1=1001>> #### 1,001\n"
                                  "No steps\u2028here?|| #### 7\n")  # U+2028 is not a line break here
    assert data.load_gsm8k_txt(p) == [Record("How many?", ["<<4-2=2>>", "<<2/.5=4>>"], "4"),
                                      Record("And now?", ["<<1,000+1=1001>>"], "1,001"),
                                      Record("No steps\u2028here?", [], "7")]


@pytest.mark.parametrize("line, message", [
    ("no separator #### 3", "expected exactly one '\\|\\|'"),
    ("q||<<1=1>> no answer", "expected exactly one '####'"),
    ("  ||<<1=1>> #### 1", "empty question"),
    ("q||<<1=1>> ####  ", "empty answer"),
])
def test_malformed_gsm8k_line_names_file_and_line(tmp_path, line, message):
    p = write(tmp_path / "g.txt", f"q||<<1+1=2>> #### 2\n{line}\n")
    with pytest.raises(ValueError, match=rf"g\.txt: line 2: {message}"):
        data.load_gsm8k_txt(p)


def test_git_lfs_pointer_is_recognised(tmp_path):
    p = write(tmp_path / "train.txt", "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 12\n")
    with pytest.raises(ValueError, match="Git LFS pointer"):
        data.load_gsm8k_txt(p)


def test_gsm8k_offline_keeps_annotations_and_excludes_valid_questions(tmp_path, capsys):
    original = write(tmp_path / "orig.txt", "\n".join([
        "Ann has 3 apples.  She eats 1. How many are left?||She has 3-1 = <<3-1=2>>2 left. #### 2",
        "Bob earns $12 an hour. How much in 50 minutes?||12/60 = $<<12/60=0.2>>0.2 per minute. "
        "0.2 x 50 = $<<0.2*50=10>>10. #### 10",
        "Let p be an income. What is p?||Let p be 1000 so p = 1000 #### 1,000",
        "Cat has 2 toys and gets 3. How many?||2+3=<<2+3=5>>5 toys. #### 5",
    ]) + "\n")
    valid = write(tmp_path / "valid.txt", "Ann has 3 apples. She eats 1.   How many are left? ||<<3-1=2>> #### 2\n")
    recs = data.gsm8k_equations_from_original(original, valid)
    assert recs == [Record("Bob earns $12 an hour. How much in 50 minutes?", ["<<12/60=0.2>>", "<<0.2*50=10>>"], "10"),
                    Record("Let p be an income. What is p?", [], "1,000"),  # no annotation: no steps, as iCoT
                    Record("Cat has 2 toys and gets 3. How many?", ["<<2+3=5>>"], "5")]
    out = capsys.readouterr().out
    assert "1 excluded" in out and "1 of the kept have no <<...>> annotation" in out and "3 kept" in out
    assert data.main(["gsm8k-offline", "--original", str(original), "--valid", str(valid),
                      "--out", str(tmp_path / "gsm8k/train.txt")]) == 0
    assert data.load_gsm8k_txt(tmp_path / "gsm8k/train.txt") == recs
    assert [p.name for p in (tmp_path / "gsm8k").iterdir()] == ["train.txt"]  # no temp file left


def test_gsm8k_writer_refuses_steps_that_would_not_read_back(tmp_path):
    with pytest.raises(ValueError, match="record 0: a step contains whitespace"):
        data.write_gsm8k_txt([Record("q", ["<<1 + 1=2>>"], "2")], tmp_path / "g.txt")
    assert not any(tmp_path.iterdir())

# -----------------------------------------------------------------------------
# downloads from a local server


class FixtureServer:
    """http.server on 127.0.0.1 serving {path: (status, body, content_length)}."""

    def __init__(self, routes):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body, length = routes.get(self.path, (404, b"not found", None))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


PROSQA_FIXTURE = json.dumps([{"question": "Is Tom a a or b?", "answer": "Tom is a a.", "steps": ["Tom is a a."],
                              "idx_to_symbol": ["Tom", "a", "b"], "edges": [[0, 1]], "root": 0,
                              "target": 1, "neg_target": 2}]).encode()
GSM8K_FIXTURE = b"q1||<<1+1=2>> #### 2\nq2||<<2*3=6>> <<6-1=5>> #### 5\n"


@pytest.fixture
def server(monkeypatch):
    routes = {
        "/coconut/prosqa_valid.json": (200, PROSQA_FIXTURE, None),
        "/coconut/prosqa_test.json": (200, PROSQA_FIXTURE[:-20], None),               # corrupt body
        "/coconut/prosqa_train.json": (200, PROSQA_FIXTURE, len(PROSQA_FIXTURE) + 50),  # truncated
        "/lfs/train.txt": (200, GSM8K_FIXTURE, None),
        "/raw/valid.txt": (200, GSM8K_FIXTURE, None),
    }
    s = FixtureServer(routes)
    monkeypatch.setattr(data, "PROSQA_URL", s.url + "/coconut")
    monkeypatch.setattr(data, "GSM8K_URL", s.url + "/raw")
    monkeypatch.setattr(data, "GSM8K_LFS_URL", s.url + "/lfs")
    yield s
    s.close()


def test_download_caches_the_file_and_reads_it(server, tmp_path):
    recs = data.load_dataset("prosqa", "valid", tmp_path)
    assert recs[0].graph["edges"] == [[0, 1]]
    assert (tmp_path / "prosqa/prosqa_valid.json").read_bytes() == PROSQA_FIXTURE
    assert data.load_dataset("gsm8k", "train", tmp_path)[1].steps == ["<<2*3=6>>", "<<6-1=5>>"]  # LFS URL
    assert data.load_dataset("gsm8k", "valid", tmp_path)[0].answer == "2"
    server.close()  # cached: no server needed any more
    assert data.load_dataset("prosqa", "valid", tmp_path) == recs


@pytest.mark.parametrize("split, message", [
    ("test", "malformed JSON"), ("train", "truncated download"),
])
def test_failed_download_leaves_no_file_and_says_what_to_do(server, tmp_path, split, message):
    with pytest.raises(RuntimeError, match=message) as e:
        data.load_dataset("prosqa", split, tmp_path)
    assert "instead:" in str(e.value)
    assert not any((tmp_path / "prosqa").iterdir())


def test_http_404_leaves_no_file(server, tmp_path):
    with pytest.raises(RuntimeError, match="404") as e:
        data.load_dataset("gsm8k", "test", tmp_path)
    assert "copy the released file to" in str(e.value)
    assert e.value.__cause__.fp.closed  # the error response does not keep its socket open
    assert not any((tmp_path / "gsm8k").iterdir())


def test_offline_download_error_suggests_the_generator(monkeypatch, tmp_path):
    s = FixtureServer({})
    s.close()  # nothing listens there any more: connection refused
    monkeypatch.setattr(data, "PROSQA_URL", s.url)
    with pytest.raises(RuntimeError, match="python data.py generate-prosqa --n 17886"):
        data.load_dataset("prosqa", "train", tmp_path)
    assert not any((tmp_path / "prosqa").iterdir())


def test_prontoqa_has_no_download_and_says_how_to_generate(tmp_path):
    with pytest.raises(FileNotFoundError, match="python data.py generate-prontoqa --n 9000"):
        data.load_dataset("prontoqa", "train", tmp_path)
    with pytest.raises(ValueError, match="unknown split"):
        data.load_dataset("prosqa", "dev", tmp_path)

# -----------------------------------------------------------------------------
# answers


def test_answer_is_text_after_last_hash_without_commas():
    assert data.extract_answer("<<2*3=6>>\n### 1,200") == "1200"
    assert data.extract_answer("### Tom is a lempus.<|endoftext|>") == "Tom is a lempus."
    assert data.extract_answer("no hash here ") == "no hash here"
    assert data.is_correct("### 1,200", "1200")
    assert data.is_correct("### 1200", "1,200")
    assert data.is_correct("Alex is a tumpus.\n### True", "True")
    assert not data.is_correct("### False", "True")
    assert not data.is_correct("### Tom is a lempus", "Tom is a lempus.")

# -----------------------------------------------------------------------------
# smoke tests on the shared copies of the released files (skipped where absent)


@pytest.mark.skipif(not (SHARED / "prosqa/prosqa_valid.json").exists(), reason="no shared data")
def test_released_files_load_and_build_within_gpt2_context(tok):
    prosqa = data.load_json_records(SHARED / "prosqa/prosqa_valid.json")
    assert len(prosqa) == 300 and all(r.graph is not None and 3 <= len(r.steps) <= 6 for r in prosqa)
    gsm = data.load_gsm8k_txt(SHARED / "gsm8k/valid.txt")
    assert len(gsm) == 500 and all(s.startswith("<<") and s.endswith(">>") for r in gsm for s in r.steps)
    exs = [build_example(tok, r, "cot", 0) for r in prosqa + gsm]
    assert data.check_lengths(exs, 1024, "released valid") == exs


@pytest.mark.skipif(not (SHARED / "gsm8k/train_original.txt").exists(), reason="no shared data")
def test_offline_equations_match_icot_valid_steps(tmp_path):
    # the valid questions' own original solutions, converted, must give iCoT's released steps
    valid = data.load_gsm8k_txt(SHARED / "gsm8k/valid.txt")
    keys = {data.normalise_question(r.question) for r in valid}
    lines = [l for l in data.read_lines(SHARED / "gsm8k/train_original.txt")
             if data.normalise_question(l.split("||")[0]) in keys]
    assert len(lines) == 500
    empty = write(tmp_path / "empty_valid.txt", "")
    converted = data.gsm8k_equations_from_original(write(tmp_path / "o.txt", "\n".join(lines) + "\n"), empty)
    by_q = {data.normalise_question(r.question): r for r in converted}
    assert all(by_q[data.normalise_question(r.question)].steps == r.steps for r in valid)
    assert all(by_q[data.normalise_question(r.question)].answer == r.answer for r in valid)


@pytest.mark.skipif(not (SHARED / "gsm8k/valid.txt").exists(), reason="no shared data")
def test_gsm8k_writer_reproduces_the_released_file_byte_for_byte(tmp_path):
    data.write_gsm8k_txt(data.load_gsm8k_txt(SHARED / "gsm8k/valid.txt"), tmp_path / "valid.txt")
    assert (tmp_path / "valid.txt").read_bytes() == (SHARED / "gsm8k/valid.txt").read_bytes()
