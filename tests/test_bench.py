"""bench.py runs end to end on a tiny model (the speed figures themselves are measured on a GPU)."""

import json

import bench


def test_bench_reports_every_figure_on_a_tiny_cpu_model(tmp_path):
    out = tmp_path / "bench.json"
    results = bench.main(["--device", "cpu", "--n_layer", "1", "--n_head", "2", "--n_embd", "32",
                          "--batch_size", "4", "--steps", "1", "--eval_questions", "6",
                          "--stages", *map(str, range(8)), "--json", str(out)])
    assert set(results["stages"]) == set(range(8))
    assert [results["stages"][k]["thoughts"] for k in range(8)] == [0, 1, 2, 3, 4, 5, 6, 6]
    # the same questions at every stage: later stages replace language steps by thoughts
    assert results["stages"][7]["tokens_per_question"] < results["stages"][0]["tokens_per_question"]
    for key in ("ratio_stage6_to_cot", "eval_s", "curriculum_min"):
        assert results[key] > 0
    assert json.loads(out.read_text())["eval_s"] == results["eval_s"]


def test_two_thoughts_a_step_double_every_stage_thoughts():
    results = bench.main(["--device", "cpu", "--n_layer", "1", "--n_head", "2", "--n_embd", "32",
                          "--batch_size", "4", "--steps", "1", "--eval_questions", "2",
                          "--stages", "0", "1", "6", "7", "--c_thought", "2"])
    assert [results["stages"][k]["thoughts"] for k in (0, 1, 6, 7)] == [0, 2, 12, 12]
    assert results["ratio_stage6_to_cot"] > 0


def test_profile_prints_where_the_time_goes(capsys):
    bench.main(["--device", "cpu", "--n_layer", "1", "--n_head", "2", "--n_embd", "32", "--batch_size", "4",
                "--steps", "1", "--eval_questions", "2", "--stages", "2", "--profile"])
    out = capsys.readouterr().out
    assert "Self CPU" in out  # the profiler's table
    assert "aten::" in out  # its rows are PyTorch operations
