"""train.py end to end on tiny data and a tiny model, on the CPU."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import data
import train

ROOT = Path(__file__).resolve().parents[1]


def toy_records(n, seed):
    """ProsQA-shaped questions about a 4-concept chain: enough structure to learn a little."""
    rng = random.Random(seed)
    names, concepts = ["Tom", "Sam", "Eva"], ["wumpus", "yumpus", "zumpus", "dumpus", "rompus", "lempus"]
    records = []
    for _ in range(n):
        name = rng.choice(names)
        a, b, c, d, e = rng.sample(concepts, 5)
        steps = [f"{name} is a {a}.", f"Every {a} is a {b}.", f"Every {b} is a {c}."]
        question = f"{name} is a {a}. Every {a} is a {b}. Every {b} is a {c}. Every {d} is a {e}. " \
                   f"Is {name} a {c} or {e}?"
        records.append({"question": question, "steps": steps, "answer": f"{name} is a {c}."})
    return records


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("toy")
    for split, n, seed in (("train", 32, 0), ("valid", 4, 1)):
        (d / f"{split}.json").write_text(json.dumps(toy_records(n, seed)))
    return d


def tiny_args(files, out_dir, *extra):
    return ["--dataset", "prosqa", "--init", "scratch", "--n_layer", "1", "--n_head", "2", "--n_embd", "32",
            "--block_size", "256", "--device", "cpu", "--train_file", str(files / "train.json"),
            "--valid_file", str(files / "valid.json"), "--batch_size", "16", "--micro_batch_size", "8",
            "--max_new_tokens", "12", "--out_dir", str(out_dir), "--log_interval", "100",
            "--max_latent_stage", "2", "--epochs_per_stage", "1", "--stage0_epochs", "1", *extra]


def metrics(out_dir):
    return [json.loads(line) for line in (out_dir / "metrics.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("method", data.METHODS)
def test_every_method_trains_and_its_loss_decreases(files, tmp_path, method):
    # two epochs of the same stage (stage0_epochs 2) so that the loss is comparable
    extra = ["--epochs", "2", "--lr", "3e-3", "--stage0_epochs", "2"]
    train.main(tiny_args(files, tmp_path, "--method", method, *extra))
    m = metrics(tmp_path)
    assert [r["epoch"] for r in m] == [0, 1]
    assert m[1]["train_loss"] < m[0]["train_loss"]
    assert (tmp_path / "last.pt").exists()
    # best.pt is chosen among epochs that answer as the method does at test time: not yet for the
    # curriculum methods (still in stage 0) nor for iCoT (the chain is not yet removed)
    assert (tmp_path / "best.pt").exists() == (method not in data.CURRICULUM_METHODS + ("icot",))


def test_thoughts_per_stage_follow_the_presets():
    prosqa = train.get_args(["--dataset", "prosqa", "--init", "scratch"])
    assert [train.thoughts_at_stage(prosqa, k) for k in (0, 1, 6, 7)] == [0, 1, 6, 6]
    gsm = train.get_args(["--dataset", "gsm8k", "--init", "scratch"])
    assert [train.thoughts_at_stage(gsm, k) for k in (0, 1, 3, 4)] == [0, 2, 6, 6]  # c = 2
    pause = train.get_args(["--dataset", "prosqa", "--init", "scratch", "--method", "pause"])
    assert train.thoughts_at_stage(pause, 0) == 6  # as many pauses as Coconut's final thoughts


def test_optimizer_is_reset_exactly_when_the_stage_changes(files, tmp_path, monkeypatch):
    created = []  # the number of finished epochs each time a fresh optimizer is made
    original = train.GPT.configure_optimizer

    def counting(self, *a, **k):
        done = tmp_path / "run" / "metrics.jsonl"
        created.append(len(done.read_text().splitlines()) if done.exists() else 0)
        return original(self, *a, **k)

    monkeypatch.setattr(train.GPT, "configure_optimizer", counting)
    # stage 0 for 2 epochs, then 2 epochs per stage: stages 0 0 1 1 2
    train.main(tiny_args(files, tmp_path / "run", "--epochs", "5", "--stage0_epochs", "2", "--epochs_per_stage", "2"))
    assert [r["stage"] for r in metrics(tmp_path / "run")] == [0, 0, 1, 1, 2]
    assert created == [0, 2, 4]  # made before epochs 0, 2 and 4
    created.clear()
    train.main(tiny_args(files, tmp_path / "per_epoch", "--epochs", "3", "--reset_optimizer", "epoch"))
    assert len(created) == 3  # the released code's behaviour: every epoch


def test_training_examples_are_built_once_per_stage_unless_drawn_per_epoch(files, tmp_path, monkeypatch):
    built, trained = [], []  # epochs whose examples were built; thoughts of every trained batch
    build, collate = train.epoch_examples, data.collate
    monkeypatch.setattr(train, "epoch_examples", lambda *a: built.append(a[3]) or build(*a))
    monkeypatch.setattr(data, "collate",
                        lambda ex, tok: trained.append(max(e.n_latent for e in ex)) or collate(ex, tok))
    # stages 0 0 1 1 2: the examples of a stage are reused by its second epoch
    train.main(tiny_args(files, tmp_path / "run", "--epochs", "5", "--stage0_epochs", "2",
                         "--epochs_per_stage", "2"))
    assert built == [0, 2, 4]
    per_epoch = len(trained) // 5  # every epoch collates the same number of micro-batches
    assert [max(trained[e * per_epoch:(e + 1) * per_epoch]) for e in range(5)] == [0, 0, 1, 1, 2]
    built.clear()
    # stage mixing draws each example's stage anew every epoch
    train.main(tiny_args(files, tmp_path / "mix", "--epochs", "2", "--stage0_epochs", "2",
                         "--uniform_prob", "0.5"))
    assert built == [0, 1]


def test_thoughts_are_used_at_evaluation_as_the_stage_says(files, tmp_path):
    train.main(tiny_args(files, tmp_path, "--epochs", "4"))
    assert [(r["stage"], r["n_latent"]) for r in metrics(tmp_path)] == [(0, 0), (1, 1), (2, 2), (3, 2)]


def test_a_no_eot_run_trains_without_eot_and_evaluates_as_it_trained(files, tmp_path, monkeypatch):
    seen = []  # the after_thoughts of every evaluation
    real_generate = train.generate

    def spy(*args, **kwargs):
        seen.append(list(kwargs["after_thoughts"]))
        return real_generate(*args, **kwargs)
    monkeypatch.setattr(train, "generate", spy)
    train.main(tiny_args(files, tmp_path, "--epochs", "3", "--no_eot"))
    assert [r["n_latent"] for r in metrics(tmp_path)] == [0, 1, 2]
    assert seen and all(a == [] for a in seen)
    seen.clear()
    train.main(["--eval_only", "--ckpt", str(tmp_path / "last.pt"), "--device", "cpu"])
    assert seen and all(a == [] for a in seen)  # --eval_only reads the flag from the checkpoint


def weights(path):
    return torch.load(path, map_location="cpu", weights_only=True)["model"]


def test_keep_epochs_keeps_each_epochs_checkpoint_and_resume_ignores_the_flag(files, tmp_path):
    train.main(tiny_args(files, tmp_path, "--epochs", "2", "--keep_epochs"))
    first, second = (torch.load(tmp_path / f"epoch{e}.pt", weights_only=True) for e in (0, 1))
    assert (first["epoch"], second["epoch"]) == (1, 2)  # the epoch a resume would start at
    assert [r["epoch"] for r in second["history"]] == [0, 1]
    last = weights(tmp_path / "last.pt")
    assert all(torch.equal(second["model"][k], last[k]) for k in last)
    assert not all(torch.equal(first["model"][k], last[k]) for k in last)
    # the flag only decides which files are written: a resume without it continues the same run
    train.main(tiny_args(files, tmp_path, "--epochs", "3", "--resume"))
    assert [r["epoch"] for r in metrics(tmp_path)] == [0, 1, 2]
    assert not (tmp_path / "epoch2.pt").exists()


@pytest.mark.parametrize("schedule", [
    ["--epochs_per_stage", "1"],  # killed in the first epoch of a stage: a fresh optimizer
    ["--epochs_per_stage", "2"],  # killed inside a stage: AdamW's state comes back from last.pt
])
def test_kill_and_resume_gives_the_same_weights(files, tmp_path, monkeypatch, schedule):
    full = tmp_path / "full"
    train.main(tiny_args(files, full, "--epochs", "3", "--seed", "3", "--stop_head", *schedule))

    # a run killed in the middle of epoch 1 (after epoch 0's checkpoint), then restarted
    killed = tmp_path / "killed"
    calls = {"n": 0}
    original = data.collate

    def dying_collate(*a, **k):
        calls["n"] += 1
        if calls["n"] == 7:  # epoch 0 has 4 micro-batches: this is inside epoch 1
            raise KeyboardInterrupt("killed")
        return original(*a, **k)

    monkeypatch.setattr(data, "collate", dying_collate)
    with pytest.raises(KeyboardInterrupt):
        train.main(tiny_args(files, killed, "--epochs", "3", "--seed", "3", "--stop_head", *schedule))
    monkeypatch.setattr(data, "collate", original)
    assert [r["epoch"] for r in metrics(killed)] == [0]
    train.main(tiny_args(files, killed, "--epochs", "3", "--seed", "3", "--stop_head", *schedule, "--resume"))

    assert [r["epoch"] for r in metrics(killed)] == [0, 1, 2]
    a, b = weights(full / "last.pt"), weights(killed / "last.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)
    a, b = (torch.load(d / "last.pt", weights_only=True)["stop_head"] for d in (full, killed))
    assert all(torch.equal(a[k], b[k]) for k in a)


def poison_some_steps(monkeypatch, bad_calls):
    """Make the loss NaN on the given forward calls (0-based), as a bad kernel would."""
    calls = []
    original = train.LossModule.forward

    def forward(self, batch):
        loss = original(self, batch)
        calls.append(1)
        return loss * float("nan") if len(calls) - 1 in bad_calls else loss
    monkeypatch.setattr(train.LossModule, "forward", forward)


def test_a_step_with_a_non_finite_gradient_is_skipped(files, tmp_path, monkeypatch, capsys):
    poison_some_steps(monkeypatch, {1})  # the second micro-batch: the first step of epoch 0
    train.main(tiny_args(files, tmp_path, "--epochs", "2"))
    m = metrics(tmp_path)
    assert [r["skipped_steps"] for r in m] == [1, 0]
    assert all(r["train_loss"] == r["train_loss"] for r in m)  # not NaN
    state = torch.load(tmp_path / "last.pt", weights_only=True)
    assert all(torch.isfinite(t).all() for t in state["model"].values())
    assert "1 steps skipped (gradient not finite)" in capsys.readouterr().out


def test_too_many_non_finite_steps_stop_without_saving(files, tmp_path, monkeypatch):
    train.main(tiny_args(files, tmp_path, "--epochs", "1"))
    before = (tmp_path / "last.pt").read_bytes()
    poison_some_steps(monkeypatch, set(range(100)))  # every step of the next epoch
    with pytest.raises(SystemExit, match="max_skipped_steps 1"):
        train.main(tiny_args(files, tmp_path, "--epochs", "2", "--max_skipped_steps", "1"))
    assert (tmp_path / "last.pt").read_bytes() == before  # the checkpoint of epoch 0 is intact
    assert [r["epoch"] for r in metrics(tmp_path)] == [0]


def test_resume_from_a_checkpoint_whose_adamw_was_not_fused(files, tmp_path, monkeypatch):
    # checkpoints written before AdamW was fused on the CPU too: the step skip needs it fused
    args = tiny_args(files, tmp_path, "--stage0_epochs", "2")  # the same stage: the optimizer is restored
    train.main(args + ["--epochs", "1"])
    state = torch.load(tmp_path / "last.pt", weights_only=True)
    for group in state["optimizer"]["param_groups"]:
        group["fused"] = False
    train.save_checkpoint(tmp_path / "last.pt", state)
    poison_some_steps(monkeypatch, {1})  # the first step after the resume
    train.main(args + ["--epochs", "2"])
    assert [r["skipped_steps"] for r in metrics(tmp_path)] == [0, 1]
    state = torch.load(tmp_path / "last.pt", weights_only=True)
    assert all(g["fused"] for g in state["optimizer"]["param_groups"])
    assert all(torch.isfinite(t).all() for t in state["model"].values())


def test_resume_refuses_a_run_with_other_settings(files, tmp_path):
    train.main(tiny_args(files, tmp_path, "--epochs", "1"))
    with pytest.raises(SystemExit, match="other settings"):
        train.main(tiny_args(files, tmp_path, "--epochs", "1", "--method", "cot"))


def test_resume_of_a_run_saved_before_a_flag_existed_takes_its_default(files, tmp_path):
    args = tiny_args(files, tmp_path, "--epochs", "1")
    train.main(args)
    state = torch.load(tmp_path / "last.pt", weights_only=True)
    del state["config"]["question_loss"]  # as in a checkpoint written before --question_loss
    train.save_checkpoint(tmp_path / "last.pt", state)
    with pytest.raises(SystemExit, match="question_loss"):
        train.main(tiny_args(files, tmp_path, "--epochs", "2", "--question_loss"))
    train.main(tiny_args(files, tmp_path, "--epochs", "2"))
    assert [r["epoch"] for r in metrics(tmp_path)] == [0, 1]


@pytest.mark.parametrize("flags, message", [
    (["--method", "nonsense"], "invalid choice"),
    (["--c_thought", "0"], "c_thought"),
    (["--epochs", "-1"], "epochs"),
    (["--eval_batch_size", "0"], "eval_batch_size"),
    (["--log_interval", "0"], "log_interval"),
    (["--no_pad_latent"], "stop_head"),
    (["--resume"], "last.pt"),
    (["--prev_tokens", "2", "--init", "gpt2"], "prev_tokens"),
    (["--no_eot", "--method", "cot"], "no_eot"),
])
def test_bad_flags_fail_before_any_work(files, tmp_path, capsys, flags, message):
    with pytest.raises(SystemExit) as exit_:
        train.main(tiny_args(files, tmp_path, "--epochs", "1", *flags))
    assert message in capsys.readouterr().err + str(exit_.value.code)
    assert not (tmp_path / "metrics.jsonl").exists()


def test_checkpoint_from_another_vocabulary_is_refused(files, tmp_path):
    train.main(tiny_args(files, tmp_path / "a", "--epochs", "1"))
    ckpt = torch.load(tmp_path / "a" / "last.pt", weights_only=True)
    ckpt["model_config"]["vocab_size"] = 50257
    torch.save(ckpt, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="vocabulary"):
        train.main(tiny_args(files, tmp_path / "b", "--epochs", "1", "--init", str(tmp_path / "other.pt")))


def test_eval_only_reports_the_accuracy_of_a_checkpoint(files, tmp_path, capsys):
    train.main(tiny_args(files, tmp_path, "--epochs", "1"))
    acc = train.main(tiny_args(files, tmp_path, "--eval_only", "--ckpt", str(tmp_path / "last.pt")))
    assert acc == metrics(tmp_path)[0]["val_acc"]
    assert f"on {files / 'valid.json'}: accuracy" in capsys.readouterr().out  # the file it read


def test_a_prev_tokens_run_keeps_its_architecture_in_the_checkpoint(files, tmp_path):
    # stage 1 has a thought: evaluation generates with it, and --eval_only rebuilds the same model
    train.main(tiny_args(files, tmp_path, "--epochs", "2", "--prev_tokens", "2"))
    ckpt = torch.load(tmp_path / "last.pt", weights_only=True)
    assert ckpt["model_config"]["prev_tokens"] == 2 and "transformer.prev.weight" in ckpt["model"]
    acc = train.main(tiny_args(files, tmp_path, "--eval_only", "--ckpt", str(tmp_path / "last.pt")))
    assert acc == metrics(tmp_path)[1]["val_acc"]


def test_eval_only_validates_on_the_file_the_run_validated_on(files, tmp_path, capsys, monkeypatch):
    train.main(tiny_args(files, tmp_path, "--epochs", "1"))
    monkeypatch.chdir(tmp_path)  # no data/ here: reading the default split would fail
    acc = train.main(["--eval_only", "--ckpt", str(tmp_path / "last.pt"), "--device", "cpu",
                      "--max_new_tokens", "12"])
    assert acc == metrics(tmp_path)[0]["val_acc"]
    assert f"on {files / 'valid.json'}: accuracy" in capsys.readouterr().out


def test_eval_only_reads_the_dataset_of_the_checkpoint(files, tmp_path, capsys):
    # a ProntoQA checkpoint, evaluated without --dataset: the ProntoQA split must be read
    (tmp_path / "data" / "prontoqa").mkdir(parents=True)
    (tmp_path / "data" / "prontoqa" / "prontoqa_valid.json").write_text((files / "valid.json").read_text())
    args = tiny_args(files, tmp_path / "run", "--epochs", "1", "--dataset", "prontoqa", "--method", "no-cot")
    i = args.index("--valid_file")
    train.main(args[:i] + ["--data_dir", str(tmp_path / "data")] + args[i + 2:])  # validated on the split
    capsys.readouterr()
    train.main(["--eval_only", "--ckpt", str(tmp_path / "run" / "last.pt"), "--data_dir", str(tmp_path / "data"),
                "--device", "cpu", "--max_new_tokens", "4"])
    assert "(no-cot) on prontoqa valid" in capsys.readouterr().out


@pytest.mark.parametrize("rows, world", [(1, 4), (2, 8), (5, 2), (16, 2), (7, 3)])
def test_every_rank_gets_an_equal_share_of_every_batch(rows, world):
    batch = list(range(rows))
    shares = [train.share_of_rank(batch, r, world) for r in range(world)]
    assert len({len(s) for s in shares}) == 1 and len(shares[0]) >= 1  # DDP: same calls on every rank
    assert set(sum(shares, [])) == set(batch)  # every row is used


def test_torchrun_two_processes_train_and_evaluate(files, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(ROOT / "train.py"), *tiny_args(files, tmp_path, "--epochs", "2", "--stop_head")]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    m = metrics(tmp_path)
    assert [r["epoch"] for r in m] == [0, 1]  # rank 0 alone writes
    assert "2 process(es)" in result.stdout


# -----------------------------------------------------------------------------
# sample.py


def test_sample_shows_each_thought_and_the_answer(files, tmp_path, capsys):
    import sample
    train.main(tiny_args(files, tmp_path, "--epochs", "4"))  # reaches the final stage: 2 thoughts
    capsys.readouterr()
    sample.main(["--ckpt", str(tmp_path / "last.pt"), "--data_file", str(files / "valid.json"),
                 "--index", "1", "--device", "cpu", "--max_new_tokens", "8", "--top", "3"])
    out = capsys.readouterr().out
    assert "thought 1:" in out and "thought 2:" in out and "thought 3:" not in out
    assert "Gold answer" in out and "Generated after the prompt" in out
    sample.main(["--ckpt", str(tmp_path / "last.pt"), "--latent", "3", "--device", "cpu",
                 "--question", "Tom is a wumpus. Is Tom a wumpus or yumpus?", "--max_new_tokens", "4"])
    assert "thought 3:" in capsys.readouterr().out


def docstring_command(module, name):
    """The arguments of the `python <name> ...` line of a module's docstring (continued by \\)."""
    text = module.__doc__.replace("\\\n", " ")
    line = next(l for l in text.splitlines() if l.strip().startswith(f"python {name} ") and "--device cpu" in l)
    return line.split()[2:]


def test_the_tiny_cpu_run_of_the_docstring_ends_with_a_best_pt_for_sample(files, tmp_path, capsys):
    import sample
    args = docstring_command(train, "train.py")
    out_dir = Path(args[args.index("--out_dir") + 1])
    args[args.index("--out_dir") + 1] = str(tmp_path / out_dir.name)  # into the test's folder, not out/
    # the fixture questions instead of data/prosqa (the rest of the command as written)
    train.main(args + ["--train_file", str(files / "train.json"), "--valid_file", str(files / "valid.json"),
                       "--block_size", "256", "--max_new_tokens", "8", "--log_interval", "100"])
    sample.main(["--ckpt", str(tmp_path / out_dir.name / "best.pt"), "--data_file", str(files / "valid.json"),
                 "--device", "cpu", "--max_new_tokens", "4"])
    assert "thought 2:" in capsys.readouterr().out


@pytest.mark.parametrize("flags", [[], ["--no_eot"]])
def test_sample_tree_shows_frontier_values(tmp_path, capsys, flags):
    import analysis
    import sample
    records = data.generate_prosqa(4, seed=5)
    (tmp_path / "valid.json").write_text(json.dumps(records))
    train.main(tiny_args(tmp_path, tmp_path / "run", "--epochs", "1", "--train_file", str(tmp_path / "valid.json"),
                         "--valid_file", str(tmp_path / "valid.json"), "--block_size", "640", *flags))
    capsys.readouterr()
    sample.main(["--ckpt", str(tmp_path / "run" / "last.pt"), "--data_file", str(tmp_path / "valid.json"),
                 "--latent", "2", "--tree", "--device", "cpu", "--max_new_tokens", "4"])
    out = capsys.readouterr().out
    assert "Latent search tree" in out
    root = records[0]["idx_to_symbol"][records[0]["root"]]
    assert root in out.split("Latent search tree")[1]
    # the values are read the way the model was trained: with <eot>, or (--no_eot) without
    ckpt = torch.load(tmp_path / "run" / "last.pt", map_location="cpu", weights_only=True)
    tok = data.Tokenizer()
    model = train.model_from_checkpoint(ckpt, tok, "last.pt").eval()
    rec = data.record_from_json(records[0], "record 0")
    values = {k: analysis.frontier_values(model, tok, rec, k, eot=not flags) for k in (1, 2)}
    assert analysis.format_search_tree(rec.graph, values) in out


def test_sample_without_a_checkpoint_says_how_to_make_one(tmp_path):
    import sample
    with pytest.raises(SystemExit, match="python train.py --dataset prosqa"):
        sample.main(["--ckpt", str(tmp_path / "missing.pt")])


# -----------------------------------------------------------------------------
# curves.py: the training-curve figure


def test_curves_find_the_stage_boundaries_of_a_run(files, tmp_path):
    import curves
    train.main(tiny_args(files, tmp_path / "coconut", "--epochs", "4"))
    records = curves.load_metrics(tmp_path / "coconut")
    assert curves.stage_boundaries(records) == [(1, 1), (2, 2), (3, 3)]
    (tmp_path / "broken.jsonl").write_text('{"epoch": 0, "val_acc": 0.5}\nnot json\n')
    with pytest.raises(SystemExit, match="line 2"):
        curves.load_metrics(tmp_path / "broken.jsonl")
    pytest.importorskip("matplotlib")
    curves.main([str(tmp_path / "coconut"), "--out", str(tmp_path / "curves.png")])
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


# -----------------------------------------------------------------------------
# table.py: the results table


def test_table_reports_the_checkpoint_each_run_selected(files, tmp_path):
    import table
    train.main(tiny_args(files, tmp_path / "prosqa-coconut", "--epochs", "4"))
    train.main(tiny_args(files, tmp_path / "prosqa-cot", "--method", "cot", "--epochs", "2", "--lr", "3e-3"))
    (tmp_path / "prosqa-icot").mkdir()  # a run still in its first epochs: no best.pt yet
    (tmp_path / "prosqa-icot" / "metrics.jsonl").write_text('{"epoch": 0, "stage": 0, "val_acc": 0.25}\n')
    md = table.table(tmp_path, table.parse_names([]))
    rows = {line.split(" | ")[0][2:]: line.split(" | ") for line in md.splitlines()[2:]}
    assert len(rows) == 8

    def cell(record):
        return f"**{100 * record['val_acc']:.1f}** / {record['val_tokens_per_question']:.1f} (epoch {record['epoch']})"

    # Coconut may only be selected in its final stage: epoch 3 (stages 0, 1, 2, then 3 > max_latent_stage 2)
    assert rows["Coconut"][1] == cell(metrics(tmp_path / "prosqa-coconut")[3])
    cot = metrics(tmp_path / "prosqa-cot")
    assert rows["CoT"][1] == cell(max(cot, key=lambda r: (r["val_acc"], -r["epoch"])))  # first best epoch
    assert rows["iCoT"][1] == "running: epoch 0, stage 0, 25.0%"
    assert rows["No-CoT"][1] == "not run"
    assert rows["Coconut"][2] == "97.0 ±0.3 / 14.2" and rows["iCoT"][6].strip(" |") == "30.0 / 2.2"
    with pytest.raises(SystemExit, match="--name 'prosqa'"):
        table.parse_names(["prosqa"])


def test_stop_head_trains_and_decides_the_number_of_thoughts(files, tmp_path, capsys):
    # --no_pad_latent: in the final stage each question has as many thoughts as it has steps
    train.main(tiny_args(files, tmp_path, "--epochs", "4", "--stop_head", "--no_pad_latent"))
    assert (tmp_path / "best.pt").exists()  # epoch 3 is in the final stage
    ckpt = torch.load(tmp_path / "last.pt", weights_only=True)
    assert set(ckpt["stop_head"]) == {"0.weight", "0.bias", "2.weight", "2.bias"}  # one hidden layer
    head = train.stop_head_from_checkpoint(ckpt, "cpu")
    assert all(torch.equal(v, ckpt["stop_head"][k]) for k, v in head.state_dict().items())
    linear = torch.nn.Linear(ckpt["model_config"]["n_embd"], 1)  # the head's form before 2026-12-06
    old = train.stop_head_from_checkpoint({**ckpt, "stop_head": linear.state_dict()}, "cpu")
    assert isinstance(old, torch.nn.Linear) and torch.equal(old.weight, linear.weight)
    m = metrics(tmp_path)
    assert all(0 <= r["val_thoughts_per_question"] <= r["n_latent"] for r in m)
    capsys.readouterr()
    train.main(tiny_args(files, tmp_path, "--eval_only", "--ckpt", str(tmp_path / "last.pt"), "--fixed_thoughts"))
    assert "2.00 thoughts per question (at most 2)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        train.main(tiny_args(files, tmp_path / "cot", "--method", "cot", "--stop_head"))


def test_gsm8k_text_files_and_two_thoughts_per_step(tmp_path):
    # iCoT's line format, c = 2 thoughts per removed step (the GSM8k preset)
    rng = random.Random(0)
    lines = []
    for _ in range(16):
        a, b = rng.randrange(10), rng.randrange(10)
        lines.append(f"What is {a} plus {b} times 2?||<<{b}*2={b * 2}>> <<{a}+{b * 2}={a + 2 * b}>> #### {a + 2 * b}")
    for split in ("train", "valid"):
        (tmp_path / f"{split}.txt").write_text("\n".join(lines) + "\n")
    args = ["--dataset", "gsm8k", "--init", "scratch", "--n_layer", "1", "--n_head", "2", "--n_embd", "32",
            "--block_size", "128", "--device", "cpu", "--train_file", str(tmp_path / "train.txt"),
            "--valid_file", str(tmp_path / "valid.txt"), "--batch_size", "8", "--max_new_tokens", "8",
            "--out_dir", str(tmp_path / "run"), "--epochs", "3", "--stage0_epochs", "1", "--epochs_per_stage", "1",
            "--max_latent_stage", "1", "--log_interval", "100"]
    train.main(args)
    assert [(r["stage"], r["n_latent"]) for r in metrics(tmp_path / "run")] == [(0, 0), (1, 2), (2, 2)]


def test_compiled_blocks_equal_eager_and_compile_once_per_kind_of_pass():
    # the "aot_eager" backend runs the graphs torch.compile captures without generating kernels:
    # quick on the CPU, and it checks what train.compile_blocks adds (the captured graphs, their
    # guards and how often they recompile); inductor's kernels are PyTorch's to test
    import torch._dynamo
    from coconut import coconut_loss, generate
    from gpt2 import GPT, GPTConfig

    tok = data.Tokenizer()
    torch.manual_seed(0)
    eager = GPT(GPTConfig(block_size=256, vocab_size=tok.vocab_size, n_layer=2, n_head=2, n_embd=32))
    compiled = GPT(eager.config)
    compiled.load_state_dict(eager.state_dict())
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    train.compile_blocks(compiled, backend="aot_eager")
    records = [data.record_from_json(r, str(i)) for i, r in enumerate(toy_records(12, 5))]
    for stage in (0, 1, 3, 2):  # 0: one long pass; 1: no T=1 pass; 2, 3: thoughts of every kind
        for rows in (8, 5):  # new batch sizes and lengths must not recompile
            batch = data.collate([data.build_example(tok, r, "coconut", stage) for r in records[:rows]], tok)
            losses = []
            for model in (eager, compiled):
                model.zero_grad()
                loss = coconut_loss(model, batch)
                loss.backward()
                losses.append(loss)
            torch.testing.assert_close(losses[1], losses[0])
            for p, q in zip(compiled.parameters(), eager.parameters()):
                torch.testing.assert_close(p.grad, q.grad)
    # one graph per kind of training pass (no cache; cached, one position; cached, several),
    # shared by both layers
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] == 3
    prompts = [data.inference_prompt(tok, r, "coconut", 2) for r in records[:6]]
    outs = [generate(m, prompts, tok.eos, n_latent=2, after_thoughts=[tok.eot], max_new_tokens=8)
            for m in (eager, compiled)]
    assert outs[1]["tokens"] == outs[0]["tokens"]
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] == 5  # + the prompt pass, + one position
    torch._dynamo.reset()
