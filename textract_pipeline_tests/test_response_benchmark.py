"""`python -m benchmarks.response_reading` runs, at tiny sizes, and reports a ratio per step."""

from benchmarks import response_reading


def test_the_benchmark_runs_and_prints_a_ratio_per_step(capsys):
    ratios = response_reading.main(["--megabytes", "0.1", "0.3"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all("s/MB" in line for line in lines)
    assert set(ratios) == {"read", "stats", "extract"} and all(ratio > 0 for ratio in ratios.values())
