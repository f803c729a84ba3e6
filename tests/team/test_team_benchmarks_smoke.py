"""The team benchmark scenarios work at a tiny scale: counts, never times, are checked."""

from __future__ import annotations

import pytest

from benchmarks import team_scenarios
from benchmarks.pgcluster import Cluster


@pytest.mark.parametrize("name", ["team_push_1000", "team_clone_100k", "team_propagation",
                                  "team_soak"])
def test_team_scenario_runs_tiny(name: str, pg_cluster: Cluster) -> None:
    m = team_scenarios.run(name, seed=3, repeat=1, scale=0.0001, cluster=pg_cluster)
    assert m.samples and all(s > 0 for s in m.samples)
    if name == "team_soak":
        assert m.extra["lost"] == 0 and m.extra["duplicated"] == 0 and m.extra["changes"] > 0
    else:
        assert m.floor_samples
    if name == "team_clone_100k":  # its server made with `team create --from`, timed apart
        assert m.extra["articles"] == 10 and m.extra["server_build_s"] >= 0
