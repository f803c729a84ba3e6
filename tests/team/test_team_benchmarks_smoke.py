"""The team benchmark scenarios work at a tiny scale: counts, never times, are checked."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from benchmarks import team_scenarios
from benchmarks.pgcluster import Cluster


@pytest.mark.parametrize("name", ["team_push_1000", "team_clone_100k", "team_propagation",
                                  "team_soak"])
def test_team_scenario_runs_tiny(name: str, pg_cluster: Cluster, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the scenario's scratch lands here
    m = team_scenarios.run(name, seed=3, repeat=1, scale=0.0001, cluster=pg_cluster)
    # Its replicas and source libraries are gone with it (`make bench` had left ~10 GB in
    # the temporary folder per run).
    assert not list(tmp_path.glob("spinelib-team-bench-*"))
    assert m.samples and all(s > 0 for s in m.samples)
    if name == "team_soak":
        assert m.extra["lost"] == 0 and m.extra["duplicated"] == 0 and m.extra["changes"] > 0
    else:
        assert m.floor_samples
    if name == "team_clone_100k":  # its server made with `team create --from`, timed apart
        assert m.extra["articles"] == 10 and m.extra["server_build_s"] >= 0
