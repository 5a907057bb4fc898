"""analysis.py: path categories, frontiers, search values against a slow reference, interpolation,
the search-tree text, figures and the command line; tiny models on the CPU."""

import json
import re
from dataclasses import asdict

import pytest
import torch

import analysis
import data
import train
from coconut import generate
from gpt2 import GPT, GPTConfig

# A hand-made graph (edges read "every parent is a child"):
#
#   Tom(0) -> wumpus(2) -> zumpus(4) -> lempus(6)        the shortest path: 3 steps
#          |           `-> tumpus(9)                     a leaf the answer is not below
#          `-> yumpus(3) -> dumpus(5) -> numpus(8) -> lempus(6)     a longer path: 4 steps
#   Ann(1) -> rompus(7)                                   the distractor
GRAPH = {
    "idx_to_symbol": ["Tom", "Ann", "wumpus", "yumpus", "zumpus", "dumpus", "lempus", "rompus", "numpus", "tumpus"],
    "edges": [[0, 2], [0, 3], [2, 4], [4, 6], [3, 5], [5, 8], [8, 6], [1, 7], [2, 9]],
    "root": 0, "target": 6, "neg_target": 7,
}
RIGHT, WRONG = "### Tom is a lempus.<|endoftext|>", "### Tom is a rompus.<|endoftext|>"

CASES = [  # (thoughts k, text written after <eot>, category)
    (0, f"Tom is a wumpus.\nEvery wumpus is a zumpus.\nEvery zumpus is a lempus.\n{RIGHT}", "correct_path"),
    (1, f"Every wumpus is a zumpus.\nEvery zumpus is a lempus.\n{RIGHT}", "correct_path"),
    (2, f"Every zumpus is a lempus.\n{RIGHT}", "correct_path"),
    (0, f"Tom is a wumpus.\n{RIGHT}", "correct_path"),  # a shortest-path prefix the answer completes
    (1, f"Every wumpus is a zumpus.\nEvery zumpus is a lempus.\n{WRONG}", "correct_path"),  # path judged
    (0, f"Tom is a yumpus.\nEvery yumpus is a dumpus.\nEvery dumpus is a numpus.\n"
        f"Every numpus is a lempus.\n{RIGHT}", "longer_path"),
    (1, f"Every yumpus is a dumpus.\nEvery dumpus is a numpus.\nEvery numpus is a lempus.\n{RIGHT}", "longer_path"),
    (1, f"Every yumpus is a dumpus.\n{RIGHT}", "longer_path"),  # prefix of a longer path, completed
    (1, f"Every wumpus is a lempus.\n{RIGHT}", "hallucination"),  # no such edge
    (0, f"Tom is a wumpus.\nEvery zumpus is a lempus.\n{RIGHT}", "hallucination"),  # steps do not connect
    (0, f"Every zumpus is a lempus.\n{RIGHT}", "hallucination"),  # no thought, yet it skips the root
    (1, f"Tom is a wumpus.\nEvery wumpus is a zumpus.\nEvery zumpus is a lempus.\n{RIGHT}", "hallucination"),
    (2, f"Every wumpus is a zumpus.\n{RIGHT}", "hallucination"),  # starts 1 hop from the root, not 2
    (0, f"Tom is a blorpus.\n{RIGHT}", "hallucination"),  # a word of no node
    (0, f"Tom is wumpus.\n{RIGHT}", "hallucination"),  # not a sentence of the data
    (0, "Tom is a wumpus.\nEvery wum", "hallucination"),  # cut off mid-sentence
    (0, f"Tom is a wumpus.\nEvery wumpus is a tumpus.\n### Tom is a tumpus.", "wrong_target"),
    (1, f"Every wumpus is a tumpus.\n{RIGHT}", "wrong_target"),  # the answer is not below tumpus
    (0, f"Tom is a wumpus.\n{WRONG}", "wrong_target"),  # stops early and names the distractor
    (0, "Tom is a wumpus.\nEvery wumpus is a zumpus.", "wrong_target"),  # stops early, no answer
    (0, RIGHT, "correct_label"),
    (6, "### Tom is a lempus.<|endoftext|>Every wumpus is a tumpus.", "correct_label"),  # after eos: ignored
    (3, WRONG, "incorrect_label"),
    (3, "", "incorrect_label"),
]


@pytest.mark.parametrize("k, text, category", CASES)
def test_each_path_category_on_a_hand_made_graph(k, text, category):
    assert analysis.classify_path(GRAPH, text, k) == category


def test_every_category_is_exercised():
    assert {c for _, _, c in CASES} == set(analysis.CATEGORIES)


def test_frontier_is_the_nodes_a_walk_of_exactly_k_edges_reaches():
    assert analysis.frontier(GRAPH, 0) == [0]
    assert analysis.frontier(GRAPH, 1) == [2, 3]
    assert analysis.frontier(GRAPH, 2) == [4, 5, 9]
    assert analysis.frontier(GRAPH, 3) == [6, 8]  # lempus via zumpus, numpus via dumpus
    assert analysis.frontier(GRAPH, 4) == [6]     # lempus again, by the longer path
    assert analysis.frontier(GRAPH, 5) == []


def test_height_is_the_shortest_distance_to_a_leaf_and_correct_means_the_answer_is_below():
    heights = {v: analysis.node_height(GRAPH, v) for v in range(10)}
    assert heights == {0: 2, 1: 1, 2: 1, 3: 3, 4: 1, 5: 2, 6: 0, 7: 0, 8: 1, 9: 0}
    correct = [v for v in range(10) if analysis.reaches_target(GRAPH, v)]
    assert correct == [0, 2, 3, 4, 5, 6, 8]


def test_gold_chains_of_generated_questions_are_correct_paths_for_every_k():
    # the data's own steps, with the first k replaced by thoughts, are what a perfect model writes
    for item in data.generate_prosqa(20, seed=3):
        rec = data.record_from_json(item, "generated")
        for k in range(len(rec.steps) + 1):
            text = "".join(s + "\n" for s in rec.steps[k:]) + "### " + rec.answer + "<|endoftext|>"
            expected = "correct_path" if k < len(rec.steps) else "correct_label"
            assert analysis.classify_path(rec.graph, text, k) == expected

# -----------------------------------------------------------------------------
# models and data


@pytest.fixture(scope="module")
def tok():
    return data.Tokenizer()


@pytest.fixture(scope="module")
def records():
    return [data.record_from_json(item, "generated") for item in data.generate_prosqa(2, seed=1)]


def tiny_model(seed=0, std=0.02):
    torch.manual_seed(seed)
    model = GPT(GPTConfig(block_size=640, vocab_size=data.VOCAB_SIZE, n_layer=1, n_head=2, n_embd=32))
    if std != 0.02:  # larger weights: a peaked, non-uniform next-token distribution
        with torch.no_grad():
            for p in model.parameters():
                if p.dim() == 2:
                    p.normal_(0.0, std)
    return model.eval()


def test_concept_tokens_are_the_tokens_inside_a_step(tok):
    every = tok.encode("Every")
    for c in data.PROSQA_CONCEPTS:
        step = tok.encode(f"Every {c} is a {data.PROSQA_CONCEPTS[0]}.\n")
        concept = analysis.concept_tokens(tok, c)
        assert step[:len(every) + len(concept)] == every + concept
    assert [tok.decode([t]) for t in analysis.concept_tokens(tok, "lempus")] == [" le", "mp", "us"]


@torch.no_grad()
def slow_value(model, tok, rec, k, node, eot=True):
    """The definition, one candidate at a time: run the question and <bot>; k times, rerun the
    whole sequence and append its last hidden state as the next input embedding; then append
    <eot> (unless eot=False) "Every" and the concept's tokens, run the whole sequence once more and
    multiply the softmax probabilities of the concept tokens, each read at the position before it."""
    prompt = tok.encode(rec.question + "\n") + [tok.bot]
    embeds = model.embed(torch.tensor([prompt]))  # (1, T, C)
    for _ in range(k):
        hidden = model(embeds=embeds, logits_at=torch.tensor([0]))[1]  # (logits unused)
        embeds = torch.cat([embeds, hidden[:, -1:]], dim=1)
    tail = [tok.eot] * eot + tok.encode("Every")
    concept = tok.encode(" " + rec.graph["idx_to_symbol"][node])
    embeds = torch.cat([embeds, model.embed(torch.tensor([tail + concept]))], dim=1)
    first = embeds.size(1) - len(concept)  # index of the first concept token
    before = torch.arange(first - 1, embeds.size(1) - 1)  # the positions that predict them
    probs = torch.softmax(model(embeds=embeds, logits_at=before)[0].double(), dim=-1)  # (len(concept), V)
    value = 1.0
    for i, t in enumerate(concept):
        value *= probs[i, t].item()
    return value


@pytest.mark.parametrize("eot", [True, False])  # False: a model trained with --no_eot
def test_values_equal_the_slow_reference_and_lie_in_0_1(tok, records, eot):
    model = tiny_model(std=0.3)
    for k in (1, 2):
        batched = analysis.frontier_values_batch(model, tok, records, k, batch_size=4, eot=eot)  # rows of several records
        for rec, values in zip(records, batched):
            assert sorted(values) == analysis.frontier(rec.graph, k)
            for node, value in values.items():
                ref = slow_value(model, tok, rec, k, node, eot)
                assert 0.0 < value <= 1.0
                assert abs(value - ref) <= 1e-4 * ref, (k, node, value, ref)
        assert analysis.frontier_values(model, tok, records[0], k, eot=eot) == pytest.approx(batched[0], rel=1e-4)
    other = analysis.frontier_values_batch(model, tok, records, 1, batch_size=4, eot=not eot)
    assert other != analysis.frontier_values_batch(model, tok, records, 1, batch_size=4, eot=eot)


def test_values_need_at_least_one_thought(tok, records):
    with pytest.raises(ValueError, match="k >= 1"):
        analysis.frontier_values(tiny_model(), tok, records[0], 0)

# -----------------------------------------------------------------------------
# interpolation


@pytest.mark.parametrize("eot", [True, False])
def test_interpolation_fractions_sum_to_one_and_rows_match_unbatched_generation(tok, records, eot):
    model = tiny_model(std=0.3)
    results = analysis.interpolation(model, tok, records, ks=(0, 2), batch_size=2, max_new_tokens=6, eot=eot)
    assert sorted(results) == [0, 2]
    for k, r in results.items():
        assert sum(r["fractions"].values()) == pytest.approx(1.0)
        assert sum(r["counts"].values()) == r["n"] == len(records)
        for rec, text, cat in zip(records, r["texts"], r["categories"]):
            alone = generate(model, [data.inference_prompt(tok, rec, "coconut", k)], tok.eos, n_latent=k,
                             after_thoughts=[tok.eot] * eot, max_new_tokens=6)
            assert text == tok.decode(alone["tokens"][0])
            assert cat == analysis.classify_path(rec.graph, text, k)
        correct, total, _, _ = train.evaluate(model, tok, records, "coconut", k, 2, 6, eot=eot)
        assert r["accuracy"] == correct / total
        assert sum(c["correct"] for c in r["by_steps"].values()) == correct
        assert sum(c["n"] for c in r["by_steps"].values()) == total
        assert sum(c["correct"] for c in r["by_distractor_depth"].values()) == correct
        assert sum(c["n"] for c in r["by_distractor_depth"].values()) == total


def test_interpolation_of_a_model_that_writes_the_gold_rest(tok, monkeypatch):
    # a stand-in for a perfect mixed model: after k thoughts it writes steps[k:] and the answer
    recs = [data.record_from_json(item, "generated") for item in data.generate_prosqa(8, seed=5)]
    by_prompt = {tuple(data.inference_prompt(tok, r, "coconut", 0)): r for r in recs}
    seen_k = []

    def oracle(model, prompts, eos_id, n_latent=0, after_thoughts=(), max_new_tokens=64):
        seen_k.append((n_latent, list(after_thoughts)))
        texts = []
        for p in prompts:
            rec = by_prompt[tuple(p)]
            texts.append("".join(s + "\n" for s in rec.steps[n_latent:]) + "### " + rec.answer)
        return {"tokens": [tok.encode(t) + [eos_id] for t in texts]}

    monkeypatch.setattr(analysis, "generate", oracle)
    results = analysis.interpolation(tiny_model(), tok, recs, ks=range(7), batch_size=3, max_new_tokens=64)
    assert {k for k, _ in seen_k} == set(range(7)) and all(a == [tok.eot] for _, a in seen_k)
    for k, r in results.items():
        assert r["accuracy"] == 1.0
        n_written = sum(len(rec.steps) > k for rec in recs)  # questions with steps left after k hops
        assert r["counts"]["correct_path"] == n_written
        assert r["counts"]["correct_label"] == len(recs) - n_written


def test_accuracy_by_steps_counts_each_depth_apart():
    recs = [data.Record(question="q", steps=["s"] * n, answer="a") for n in (3, 4, 3, 6, 3)]
    by_steps = analysis.accuracy_by_steps(recs, [True, False, False, True, True])
    assert list(by_steps) == [3, 4, 6]  # sorted, only the depths present
    assert by_steps[3] == dict(correct=2, n=3, accuracy=2 / 3)
    assert by_steps[4] == dict(correct=0, n=1, accuracy=0.0)
    assert by_steps[6] == dict(correct=1, n=1, accuracy=1.0)


def test_distractor_depth_counts_from_the_nearest_person():
    assert analysis.distractor_depth(GRAPH) == 1  # "Ann is a rompus."
    # a distractor one step further down: "Every rompus is a gorpus."
    deeper = dict(GRAPH, idx_to_symbol=GRAPH["idx_to_symbol"] + ["gorpus"], neg_target=10,
                  edges=GRAPH["edges"] + [[7, 10]])
    assert analysis.distractor_depth(deeper) == 2
    assert analysis.distractor_depth(dict(deeper, root=1)) == 2  # who is asked does not matter
    # a third person, "Bob is a gorpus.": the nearest person counts
    with_bob = dict(deeper, idx_to_symbol=deeper["idx_to_symbol"] + ["Bob"], edges=deeper["edges"] + [[11, 10]])
    assert analysis.distractor_depth(with_bob) == 1


def test_accuracy_by_distractor_depth_groups_the_questions():
    shallow = dict(GRAPH)
    deep = dict(GRAPH, idx_to_symbol=GRAPH["idx_to_symbol"] + ["gorpus"], neg_target=10,
                edges=GRAPH["edges"] + [[7, 10]])
    recs = [data.Record(question="q", steps=[], answer="a", graph=g) for g in (shallow, deep, shallow, deep)]
    by_depth = analysis.accuracy_by_distractor_depth(recs, [True, False, True, True])
    assert by_depth == {1: dict(correct=2, n=2, accuracy=1.0), 2: dict(correct=1, n=2, accuracy=0.5)}


def test_interpolation_refuses_prompts_longer_than_the_context(tok, records):
    model = tiny_model()
    with pytest.raises(ValueError, match="record 0: .* exceed the model's context of 640"):
        analysis.interpolation(model, tok, records, ks=(1,), max_new_tokens=600)

# -----------------------------------------------------------------------------
# statistics and the search tree


def test_topk_cumulative_sums_the_largest_values_and_sorts_over_questions():
    per_record = [{1: 0.5, 2: 0.3, 3: 0.1, 4: 0.05}, {1: 0.9}, {}]
    out = analysis.topk_cumulative(per_record)
    assert out["top1"] == pytest.approx([0.0, 0.5, 0.9])
    assert out["top2"] == pytest.approx([0.0, 0.8, 0.9])
    assert out["top3"] == pytest.approx([0.0, 0.9, 0.9])


def test_value_vs_height_groups_nodes_by_correctness_and_height():
    rec = data.Record("q", [], "Tom is a lempus.", GRAPH)
    values = {1: [{2: 0.6, 3: 0.2}], 2: [{4: 0.5, 5: 0.1, 9: 0.3}]}
    vh = analysis.value_vs_height([rec], values)
    assert len(vh["points"]) == 5
    assert vh["mean"][1] == {"correct": {1: 0.6, 3: 0.2}, "incorrect": {}}
    assert vh["mean"][2] == {"correct": {1: 0.5, 2: 0.1}, "incorrect": {0: 0.3}}
    assert vh["count"][2]["incorrect"] == {0: 1}


def test_search_tree_text_lists_children_by_value_and_grandchildren_below_them():
    values = {1: {2: 0.61, 3: 0.25}, 2: {4: 0.87, 9: 0.02, 5: 0.05}}
    text = analysis.format_search_tree(GRAPH, values)
    lines = text.splitlines()[1:]
    names = [re.search(r"[A-Za-z]+", line).group() for line in lines]
    assert names == ["Tom", "wumpus", "zumpus", "tumpus", "yumpus", "dumpus"]
    assert lines[1].startswith("|-- wumpus") and "0.610" in lines[1] and lines[1].endswith("*")
    assert lines[2].startswith("|   |-- zumpus") and "0.870" in lines[2]
    assert lines[3].startswith("|   `-- tumpus") and "0.020" in lines[3] and not lines[3].endswith("*")
    assert lines[4].startswith("`-- yumpus") and "0.250" in lines[4]
    assert lines[5].startswith("    `-- dumpus") and "0.050" in lines[5]
    # one level only: no grandchildren
    assert len(analysis.format_search_tree(GRAPH, {1: values[1]}).splitlines()) == 1 + 3

# -----------------------------------------------------------------------------
# figures (only when matplotlib is installed) and the command line


def test_figures_are_written_as_png(tmp_path):
    pytest.importorskip("matplotlib")
    interp = {k: {"accuracy": 0.5, "fractions": {c: 1 / 6 for c in analysis.CATEGORIES}} for k in range(3)}
    values = {1: {2: 0.61, 3: 0.25}, 2: {4: 0.87, 9: 0.02, 5: 0.05}}
    rec = data.Record("q", [], "Tom is a lempus.", GRAPH)
    vh = analysis.value_vs_height([rec], {k: [v] for k, v in values.items()})
    cumulative = {k: analysis.topk_cumulative([v, {2: 0.2}]) for k, v in values.items()}
    analysis.plot_interpolation(interp, tmp_path / "a.png")
    analysis.plot_search_tree(GRAPH, values, tmp_path / "b.png")
    analysis.plot_topk(cumulative, tmp_path / "c.png")
    analysis.plot_value_vs_height(vh, tmp_path / "d.png")
    for name in "abcd":
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png", "c.png", "d.png"]  # no temp files left


def save_tiny_checkpoint(path, tok, method="coconut", flags=()):
    model = tiny_model(std=0.3)
    config = vars(train.get_args(["--init", "scratch", "--method", method, *flags] +
                                 (["--uniform_prob", "0.3"] if method == "coconut" else [])))
    torch.save(dict(model=model.state_dict(), model_config=asdict(model.config), config=config,
                    stage=7, epoch=50), path)


def test_command_line_writes_the_numbers(tok, tmp_path, capsys):
    items = data.generate_prosqa(2, seed=2)
    (tmp_path / "valid.json").write_text(json.dumps(items))
    save_tiny_checkpoint(tmp_path / "best.pt", tok)
    analysis.main(["--ckpt", str(tmp_path / "best.pt"), "--valid_file", str(tmp_path / "valid.json"),
                   "--ks", "0,2", "--value_ks", "1,2", "--max_new_tokens", "4", "--device", "cpu",
                   "--example", "1", "--out_dir", str(tmp_path / "figures")])
    out = json.loads((tmp_path / "figures" / "analysis.json").read_text())
    assert sorted(out["interpolation"]) == ["0", "2"] and out["questions"] == 2
    assert sum(out["interpolation"]["2"]["fractions"].values()) == pytest.approx(1.0)
    assert [len(out["topk_cumulative"][k]["top1"]) for k in ("1", "2")] == [2, 2]
    rec = data.record_from_json(items[1], "item 1")
    assert sorted(int(v) for v in out["values"]["1"][1]) == analysis.frontier(rec.graph, 1)
    printed = capsys.readouterr().out
    assert "search tree of question 1" in printed and out["example"]["tree"] in printed
    depths = sorted(str(len(data.record_from_json(it, "item").steps)) for it in items)
    assert sorted(out["interpolation"]["0"]["by_steps"]) == sorted(set(depths))
    assert "accuracy by the number of steps of the gold chain" in printed
    expected = sorted({str(analysis.distractor_depth(it)) for it in items})
    assert sorted(out["interpolation"]["0"]["by_distractor_depth"]) == expected
    assert "accuracy by the distractor's depth below its nearest person" in printed


def test_command_line_reads_a_no_eot_model_without_eot(tok, tmp_path):
    items = data.generate_prosqa(2, seed=2)
    (tmp_path / "valid.json").write_text(json.dumps(items))
    save_tiny_checkpoint(tmp_path / "best.pt", tok, flags=["--no_eot"])
    analysis.main(["--ckpt", str(tmp_path / "best.pt"), "--valid_file", str(tmp_path / "valid.json"),
                   "--ks", "1", "--value_ks", "1", "--max_new_tokens", "4", "--device", "cpu",
                   "--out_dir", str(tmp_path / "figures")])
    out = json.loads((tmp_path / "figures" / "analysis.json").read_text())
    records = [data.record_from_json(item, "item") for item in items]
    model = tiny_model(std=0.3)
    for eot in (False, True):  # the numbers are those without <eot>, and differ from those with it
        values = analysis.frontier_values_batch(model, tok, records, 1, eot=eot)
        texts = analysis.interpolation(model, tok, records, ks=(1,), max_new_tokens=4, eot=eot)[1]["texts"]
        same = [{str(v): x for v, x in vals.items()} for vals in values] == out["values"]["1"]
        assert same == (not eot) and (texts == out["interpolation"]["1"]["texts"]) == (not eot)


def test_command_line_refuses_records_without_a_graph_and_models_without_thoughts(tok, tmp_path):
    items = data.generate_prosqa(2, seed=2)
    for f in data.GRAPH_FIELDS:
        del items[1][f]
    (tmp_path / "valid.json").write_text(json.dumps(items))
    save_tiny_checkpoint(tmp_path / "best.pt", tok)
    argv = ["--ckpt", str(tmp_path / "best.pt"), "--valid_file", str(tmp_path / "valid.json"), "--device", "cpu",
            "--out_dir", str(tmp_path / "out")]
    with pytest.raises(SystemExit, match="valid.json: record 1 has no graph fields"):
        analysis.main(argv)
    save_tiny_checkpoint(tmp_path / "cot.pt", tok, method="cot")
    with pytest.raises(SystemExit, match="'cot' model has no continuous thoughts"):
        analysis.main(["--ckpt", str(tmp_path / "cot.pt")] + argv[2:])
