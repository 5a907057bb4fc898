"""ProntoQA 5-hop generator: format, determinism, validation, logic, and the distribution
measured against the released train file."""
import copy
import json
import re
from pathlib import Path

import pytest

import data as pq
from data import (ProntoRule, compare_prontoqa_stats, generate_prontoqa,
                             parse_prontoqa_rule, prontoqa_rule_sentence, prontoqa_stats,
                             read_prontoqa_roles, validate_prontoqa)

TRAIN = Path(__file__).resolve().parents[2] / "shared/data/prontoqa/prontoqa_train.json"
VALID = TRAIN.with_name("prontoqa_valid.json")
needs_train = pytest.mark.skipif(not TRAIN.exists(), reason=f"{TRAIN} not present")


@pytest.fixture(scope="module")
def released():
    return json.loads(TRAIN.read_text())


@pytest.fixture(scope="module")
def released_stats(released):
    return prontoqa_stats(released)


def sentences(text):
    return re.split(r"(?<=\.) ", text)


# -----------------------------------------------------------------------------
# format

def test_rule_sentences_use_the_released_phrasings():
    assert prontoqa_rule_sentence(ProntoRule("impus", "wumpus", True, "each")) == \
        "Each impus is a wumpus."
    assert prontoqa_rule_sentence(ProntoRule("wumpus", "impus", True, "every")) == \
        "Every wumpus is an impus."
    assert prontoqa_rule_sentence(ProntoRule("impus", "wumpus", True, "plural")) == \
        "Impuses are wumpuses."
    assert prontoqa_rule_sentence(ProntoRule("wumpus", "red", False, "plural")) == \
        "Wumpuses are not red."
    assert prontoqa_rule_sentence(ProntoRule("wumpus", "red", False, "every")) == \
        "Every wumpus is not red."


@needs_train
def test_every_released_rule_sentence_reads_back_and_renders_identically(released):
    # parse -> render is the identity on all 207,000 released rules: the generator's sentence
    # writer covers every phrasing, article, plural and negation the released data uses
    for i, rec in enumerate(released):
        for s in sentences(rec["question"])[:pq.PRONTOQA_RULES]:
            rule = parse_prontoqa_rule(s)
            assert rule is not None and prontoqa_rule_sentence(rule) == s, (i, s)


def test_generated_record_has_the_released_layout():
    rec = generate_prontoqa(1, seed=5)[0]
    assert set(rec) == {"question", "steps", "answer"}
    qs = sentences(rec["question"])
    assert len(qs) == 26 and qs[-1].startswith("True or false: ")
    assert len(rec["steps"]) == 6
    assert [len(sentences(s)) for s in rec["steps"]] == [2, 2, 2, 2, 2, 1]
    assert rec["answer"] in ("True", "False")


# -----------------------------------------------------------------------------
# determinism and validity

def test_same_seed_gives_same_questions_and_other_seeds_differ():
    a = generate_prontoqa(50, seed=3)
    assert a == generate_prontoqa(50, seed=3)
    assert generate_prontoqa(20, seed=3) == a[:20]
    assert generate_prontoqa(50, seed=4) != a
    assert generate_prontoqa(0) == []


def test_bad_n_is_rejected():
    for n in (-1, 2.5, "3", True):
        with pytest.raises(ValueError, match="generate_prontoqa"):
            generate_prontoqa(n)


def test_every_generated_record_validates_and_has_the_described_ontology():
    for i, rec in enumerate(generate_prontoqa(1000, seed=1)):
        validate_prontoqa(rec, f"generated {i}")
        roles = read_prontoqa_roles(rec, f"generated {i}")
        assert len(roles["concepts"]) == 14 and len(roles["families"]) == 11


@needs_train
def test_every_released_record_validates_and_has_the_described_ontology(released):
    records = released + (json.loads(VALID.read_text()) if VALID.exists() else [])
    for i, rec in enumerate(records):
        read_prontoqa_roles(rec, f"released {i}")  # validates first


def broken_records():
    good = generate_prontoqa(1, seed=7)[0]
    flipped = "False" if good["answer"] == "True" else "True"
    qs = sentences(good["question"])

    def edit(**changes):
        rec = copy.deepcopy(good)
        rec.update(changes)
        return rec
    missing = copy.deepcopy(good)
    del missing["steps"]
    negate = (lambda s: s.replace(" is not ", " is ") if " is not " in s
              else s.replace(" is ", " is not "))
    return {
        "not a dict": ["question", "steps"],
        "missing steps": missing,
        "answer not a string": edit(answer=True),
        "wrong answer": edit(answer=flipped),
        "answer not True/False": edit(answer="Yes"),
        "five steps": edit(steps=good["steps"][:5]),
        "conclusion flipped": edit(steps=good["steps"][:5] + [negate(good["steps"][5])]),
        "conclusion about another property": edit(
            steps=good["steps"][:5] + [good["steps"][5][:-1] + "ish."]),
        "a rule dropped": edit(question=" ".join(qs[1:])),
        "no query": edit(question=" ".join(qs[:-1] + ["Is it true?"])),
        "step rule not in the question": edit(
            steps=[good["steps"][0].split(". ")[0] + ". Each wumpus is a frog."]
            + good["steps"][1:]),
        "fact about someone else": edit(
            question=" ".join(qs[:23] + ["Bob is a wumpus.", qs[24], qs[25]])),
    }


@pytest.mark.parametrize("what", list(broken_records()))
def test_validator_rejects_broken_record_naming_where(what):
    with pytest.raises(ValueError, match=r"^train\.json record 12: "):
        validate_prontoqa(broken_records()[what], "train.json record 12")


def test_stats_name_the_bad_record():
    good = generate_prontoqa(2, seed=0)
    bad = dict(good[1], answer="Maybe")
    with pytest.raises(ValueError, match="record 1"):
        prontoqa_stats([good[0], bad])


# -----------------------------------------------------------------------------
# logic: the steps are a proof, and the answer follows from the rules alone

def rules_and_facts(question):
    """An independent reading of a question (not the module's parser): is-a links, property
    rules, the entity and its two fact concepts."""
    qs = sentences(question)
    links, props = {}, {}
    for s in qs[:23]:
        m = re.fullmatch(r"(?:Each|Every) (\w+) is (not )?(?:an? )?(\w+)\.", s) or \
            re.fullmatch(r"(\w+?)(?:es) are (not )?(\w+)\.", s)
        subj, neg, obj = m[1].lower(), m[2] is not None, m[3]
        if obj.endswith("pus") or obj.endswith("puses"):  # every concept is a "-pus"
            links.setdefault(subj, set()).add(obj[:-2] if obj.endswith("es") else obj)
        else:
            props.setdefault(subj, []).append((obj, not neg))
    facts = [re.fullmatch(r"(\w+) is an? (\w+)\.", s) for s in qs[23:25]]
    return links, props, facts[0][1], {f[2] for f in facts}


def check_proof(rec):
    links, props, entity, fact_concepts = rules_and_facts(rec["question"])
    walk = [re.fullmatch(entity + r" is an? (\w+)\. (.*)", s) for s in rec["steps"][:5]]
    here = walk[0][1]
    assert here in fact_concepts  # the walk starts from a stated fact
    for k, m in enumerate(walk):
        assert m[1] == here
        rule = parse_prontoqa_rule(m[2])
        assert rule.subject == here and m[2] in rec["question"]
        if k < 4:
            assert rule.obj in links[here]
            here = rule.obj
        else:  # the last rule gives the property that the conclusion states
            assert (rule.obj, rule.positive) in props[here]
            stated = f"{entity} is {'' if rule.positive else 'not '}{rule.obj}."
            assert rec["steps"][5] == stated
    # the answer follows from the rules: of all concepts E belongs to, exactly one says
    # anything about the queried property (the decoy's concept is out of E's reach)
    q = re.fullmatch(r"True or false: (\w+) is (not )?(\w+)\.", sentences(rec["question"])[-1])
    reach, todo = set(), list(fact_concepts)
    while todo:
        c = todo.pop()
        if c not in reach:
            reach.add(c)
            todo += links.get(c, ())
    said = [pos for c in reach for adj, pos in props.get(c, []) if adj == q[3]]
    assert len(said) == 1
    assert rec["answer"] == ("True" if said[0] == (q[2] is None) else "False")
    assert any(adj == q[3] for c in props if c not in reach for adj, _ in props[c])  # the decoy


# seed 0, first question, checked by hand: Polly is a tumpus (fact); tumpus -> vumpus ->
# impus -> rompus -> yumpus, each link stated in the question; "Yumpuses are snowy.", so Polly
# is snowy and "not snowy" is False. The decoy "Each brimpus is not snowy." is about a concept
# Polly never reaches (brimpus appears in no other sentence); the other fact, lorpus, leads
# only to zumpus and "temperate".
HAND_CHECKED = {
    "question": "Each numpus is dull. Tumpuses are vumpuses. Each brimpus is not snowy. "
    "Grimpuses are liquid. Each dumpus is not small. Vumpuses are dumpuses. Impuses are "
    "rompuses. Each yumpus is a grimpus. Vumpuses are not transparent. Yumpuses are snowy. "
    "Gorpuses are earthy. Every rompus is a yumpus. Lorpuses are temperate. Every lorpus is a "
    "zumpus. Each yumpus is a sterpus. Tumpuses are moderate. Every rompus is a lempus. Each "
    "rompus is brown. Every impus is not bitter. Each lempus is melodic. Every tumpus is a "
    "gorpus. Impuses are numpuses. Vumpuses are impuses. Polly is a lorpus. Polly is a tumpus. "
    "True or false: Polly is not snowy.",
    "steps": [
        "Polly is a tumpus. Tumpuses are vumpuses.",
        "Polly is a vumpus. Vumpuses are impuses.",
        "Polly is an impus. Impuses are rompuses.",
        "Polly is a rompus. Every rompus is a yumpus.",
        "Polly is a yumpus. Yumpuses are snowy.",
        "Polly is snowy.",
    ],
    "answer": "False",
}


def test_hand_checked_example_is_a_valid_proof():
    assert generate_prontoqa(1, seed=0)[0] == HAND_CHECKED
    check_proof(HAND_CHECKED)
    roles = read_prontoqa_roles(HAND_CHECKED, "hand-checked")
    assert [roles[f"c{k}"] for k in range(5, -1, -1)] == \
        ["tumpus", "vumpus", "impus", "rompus", "yumpus", "sterpus"]
    assert (roles["c'"], roles["decoy"]) == ("lorpus", "brimpus")


def test_generated_steps_are_valid_proofs_and_answers_follow_from_the_rules():
    for rec in generate_prontoqa(300, seed=2):
        check_proof(rec)


@needs_train
def test_proof_checker_accepts_the_released_records(released):
    # the checker above is only worth something if the released data passes it too
    for rec in released[:300]:
        check_proof(rec)


# -----------------------------------------------------------------------------
# distribution: 2,000 generated questions against the 9,000 released train questions

@needs_train
def test_stats_of_2000_generated_agree_with_released_train(released_stats):
    text, ok = compare_prontoqa_stats(prontoqa_stats(generate_prontoqa(2000, seed=0)),
                                      released_stats)
    assert ok, "\n" + text


@needs_train
def test_comparison_catches_chain_properties_left_at_the_prior(released_stats, monkeypatch):
    # without the calibrated 72.5% for c2..c5 the chain has the a-priori 2/3: 6 points off
    monkeypatch.setattr(pq, "PRONTOQA_P_POSITIVE_UPPER_CHAIN", 2 / 3)
    text, ok = compare_prontoqa_stats(prontoqa_stats(generate_prontoqa(2000, seed=0)),
                                      released_stats)
    assert not ok
    assert re.search(r"c2\.\.c5 properties positive .* NO", text)


def test_comparison_catches_a_skewed_answer_balance():
    gen = generate_prontoqa(2000, seed=0)
    only_true = [r for r in gen if r["answer"] == "True"]
    text, ok = compare_prontoqa_stats(prontoqa_stats(only_true), prontoqa_stats(gen))
    assert not ok and re.search(r"answer True .* NO", text)
    text, ok = compare_prontoqa_stats(prontoqa_stats(gen[:1000]), prontoqa_stats(gen[1000:]))
    assert ok, "\n" + text
