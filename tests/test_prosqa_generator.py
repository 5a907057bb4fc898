"""ProsQA generator: determinism, the released format, the validator, and the statistics of
generated questions against the released valid set."""
import copy
import json
import random
import re
from pathlib import Path

import pytest

import data
from data import (PROSQA_CONCEPTS, PROSQA_FIELDS, PROSQA_NAMES, compare_prosqa_stats,
                           generate_prosqa, person_distances, poisson, prosqa_sentence, prosqa_stats,
                           sample_shortest_path, validate_prosqa, weighted_sample)

VALID = Path(__file__).resolve().parents[2] / "shared/data/prosqa/prosqa_valid.json"
WHERE = "prosqa_train.json record 17"


def released_valid():
    if not VALID.exists():
        pytest.skip(f"{VALID} not present")
    return json.loads(VALID.read_text())


def test_vocabulary_is_the_released_one():
    assert len(PROSQA_NAMES) == len(set(PROSQA_NAMES)) == 17
    assert len(PROSQA_CONCEPTS) == len(set(PROSQA_CONCEPTS)) == 38
    used = {s for rec in released_valid() for s in rec["idx_to_symbol"]}
    assert used == set(PROSQA_NAMES) | set(PROSQA_CONCEPTS)


def test_same_seed_same_questions_other_seed_other_questions():
    a, b = generate_prosqa(40, seed=3), generate_prosqa(40, seed=3)
    assert json.dumps(a) == json.dumps(b)
    c = generate_prosqa(40, seed=4)
    assert [r["question"] for r in a] != [r["question"] for r in c]
    assert generate_prosqa(10, seed=3) == a[:10]  # a prefix does not depend on n


def test_generated_records_have_the_released_layout_and_pass_validation():
    for i, rec in enumerate(generate_prosqa(300, seed=1)):
        validate_prosqa(rec, f"generated record {i}")
        assert tuple(rec) == PROSQA_FIELDS  # same keys, same order as the released JSON
        symbols, edges = rec["idx_to_symbol"], rec["edges"]
        assert rec["root"] in (0, 1)
        # edges grouped by child in construction order, parents before children
        assert [b for _, b in edges] == sorted(b for _, b in edges)
        assert all(a < b for a, b in edges)
        # people are exactly the parentless nodes, and every node has an edge
        children = {b for _, b in edges}
        assert [s in PROSQA_NAMES for s in symbols] == [v not in children for v in range(len(symbols))]
        assert {v for e in edges for v in e} == set(range(len(symbols)))
        assert 3 <= len(rec["steps"]) <= 6
        assert rec["steps"][0].startswith(symbols[rec["root"]] + " is a ")
        assert all(s.startswith("Every ") for s in rec["steps"][1:])


def test_released_valid_records_pass_validation():
    for i, rec in enumerate(released_valid()):
        validate_prosqa(rec, f"prosqa_valid.json record {i}")


def add_edge(rec, a, b):
    # add a fact to the graph and to the question text, keeping the record otherwise intact
    rec["edges"].append([a, b])
    rec["question"] = prosqa_sentence(rec["idx_to_symbol"], a, b) + " " + rec["question"]


def break_unreachable_answer(rec):
    rec["target"], rec["neg_target"] = rec["neg_target"], rec["target"]


def break_reachable_distractor(rec):
    add_edge(rec, rec["root"], rec["neg_target"])


def break_longer_steps(rec):
    add_edge(rec, rec["root"], rec["target"])  # a one-step shortcut the steps do not take


def break_answer_string(rec):
    rec["answer"] = rec["answer"].replace(rec["idx_to_symbol"][rec["target"]], rec["idx_to_symbol"][rec["neg_target"]])


def break_question_options(rec):
    rec["question"] = rec["question"].replace(rec["idx_to_symbol"][rec["neg_target"]] + "?", "wumpus?")


def break_step_text(rec):
    rec["steps"][1] = "Every rumpus is a gumpus."


def break_missing_field(rec):
    del rec["steps"]


@pytest.mark.parametrize("breakage, complaint", [
    (break_unreachable_answer, "is not reachable"),
    (break_reachable_distractor, "is reachable from"),
    (break_longer_steps, "shortest path takes 1"),
    (break_answer_string, "should be"),
    (break_question_options, "question should end"),
    (break_step_text, "step 1"),
    (break_missing_field, "missing field"),
])
def test_validator_rejects_broken_records_naming_where(breakage, complaint):
    rec = generate_prosqa(1, seed=7)[0]
    validate_prosqa(rec, WHERE)
    broken = copy.deepcopy(rec)
    breakage(broken)
    with pytest.raises(ValueError, match=re.escape(WHERE) + ".*" + re.escape(complaint)):
        validate_prosqa(broken, WHERE)


def test_samplers_follow_their_laws():
    rng = random.Random(0)
    draws = [poisson(rng, 1.5) for _ in range(20000)]
    assert abs(sum(draws) / len(draws) - 1.5) < 0.05
    assert abs(draws.count(0) / len(draws) - 0.2231) < 0.015  # exp(-1.5)
    firsts = [weighted_sample(rng, "abc", [1.0, 2.5, 4.0], 2)[0] for _ in range(20000)]
    for item, w in zip("abc", [1.0, 2.5, 4.0]):
        assert abs(firsts.count(item) / len(firsts) - w / 7.5) < 0.015
    # 0 -> {1, 2} -> 3 has two shortest paths; each should be taken about half the time
    children = [[1, 2], [3], [3], []]
    paths = [tuple(sample_shortest_path(rng, children, 0, 3)) for _ in range(4000)]
    assert set(paths) == {(0, 1, 3), (0, 2, 3)}
    assert abs(paths.count((0, 1, 3)) / len(paths) - 0.5) < 0.04


def test_2000_generated_questions_match_released_valid_statistics():
    reference = prosqa_stats(released_valid())
    generated = prosqa_stats(generate_prosqa(2000, seed=0))
    table, ok = compare_prosqa_stats(generated, reference)
    assert ok, "\n" + table
    # the shape checks that have no formal target
    assert 14 <= generated["min_nodes"] and generated["max_nodes"] <= 28
    assert 22 <= generated["mode_nodes"] <= 24
    assert abs(generated["mean_parentless"] - reference["mean_parentless"]) < 0.3
    for family, fraction in reference["family"].items():
        assert abs(generated["family"][family] - fraction) < 0.03, family
    assert generated["names"] == sorted(PROSQA_NAMES) and generated["concepts"] == sorted(PROSQA_CONCEPTS)
    # the answer is either option equally often: naming always the first one is a coin flip
    assert abs(generated["answer_is_first_option"] - 0.5) < 0.04


def test_answer_position_is_read_from_the_question():
    rec = generate_prosqa(1, seed=3)[0]
    symbols = rec["idx_to_symbol"]
    first, second = symbols[rec["target"]], symbols[rec["neg_target"]]
    head = rec["question"][:rec["question"].rfind("Is ")]
    name = symbols[rec["root"]]
    for question, expected in ((f"{head}Is {name} a {first} or {second}?", 1.0),
                               (f"{head}Is {name} a {second} or {first}?", 0.0)):
        assert prosqa_stats([dict(rec, question=question)])["answer_is_first_option"] == expected


def test_compare_flags_a_mismatch():
    stats = prosqa_stats(generate_prosqa(200, seed=2))
    assert compare_prosqa_stats(stats, stats)[1]
    shifted = dict(stats, mean_edges=stats["mean_edges"] + 2.5)
    text, ok = compare_prosqa_stats(shifted, stats)
    assert not ok and re.search(r"mean edges .* NO", text)


def test_ood_variants_are_harder():
    base = prosqa_stats(generate_prosqa(200, seed=5))
    longer = prosqa_stats(generate_prosqa(200, seed=5, n_nodes=36, min_steps=5, max_steps=8))
    assert min(longer["step_hist"]) >= 5 and max(longer["step_hist"]) <= 8
    assert longer["mean_shortest_path"] > base["mean_shortest_path"] + 1.5
    denser = prosqa_stats(generate_prosqa(200, seed=5, mean_parents=2.5))
    assert denser["mean_edges"] / denser["mean_nodes"] > base["mean_edges"] / base["mean_nodes"] + 0.3


def test_person_distances_count_from_the_nearest_parentless_node():
    # people 0 and 1; 0 -> 2 -> 3 -> 4 and 1 -> 4: node 4 is one step below person 1
    children = [[2], [4], [3], [4], []]
    assert person_distances(children) == [0, 0, 1, 2, 1]
    assert data.bfs_distances(children, 0) == [0, None, 1, 2, 3]  # from one source, as before


def test_answer_lies_deeper_than_the_distractor_in_the_released_data():
    # choice 9 in data.py: the numbers its comment gives, from the released valid set
    stats = prosqa_stats(released_valid())
    assert round(300 * stats["answer_is_deeper"]) == 262 and round(300 * stats["answer_is_as_deep"]) == 31
    generated = prosqa_stats(generate_prosqa(500, seed=0))
    assert 0.75 < generated["answer_is_deeper"] < 0.92


def test_matched_distractors_are_as_deep_as_the_answer(tmp_path):
    records = generate_prosqa(100, seed=6, match_distractor=True)
    for i, rec in enumerate(records):
        validate_prosqa(rec, f"matched record {i}")
        children = [[] for _ in rec["idx_to_symbol"]]
        for a, b in rec["edges"]:
            children[a].append(b)
        depth = person_distances(children)
        assert depth[rec["target"]] == depth[rec["neg_target"]], i
    assert prosqa_stats(records)["answer_is_as_deep"] == 1.0
    assert generate_prosqa(20, seed=6, match_distractor=False) == generate_prosqa(20, seed=6)
    path = tmp_path / "matched.json"
    data.main(["generate-prosqa", "--n", "5", "--seed", "6", "--match_distractor", "--out", str(path)])
    assert json.loads(path.read_text()) == records[:5]


def test_bad_difficulty_is_refused():
    with pytest.raises(ValueError, match="match_distractor=1 must be True or False"):
        generate_prosqa(1, match_distractor=1)
    with pytest.raises(ValueError, match="unknown difficulty parameter.*'n_node'"):
        generate_prosqa(1, n_node=30)
    with pytest.raises(ValueError, match="n_nodes=60"):
        generate_prosqa(1, n_nodes=60)
    with pytest.raises(ValueError, match="min_steps <= max_steps"):
        generate_prosqa(1, min_steps=5, max_steps=4)
    with pytest.raises(ValueError, match="no question"):
        generate_prosqa(1, n_nodes=5, min_steps=6, max_steps=6)  # 5 nodes cannot hold a 6-step path


def test_stats_name_a_broken_record(tmp_path):
    items = generate_prosqa(3, seed=4)
    items[2]["question"] = items[2]["question"].replace(" or ", " and ")
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(items))
    with pytest.raises(ValueError, match="broken.json: record 2: question should end"):
        data.main(["stats", "prosqa", str(path)])
