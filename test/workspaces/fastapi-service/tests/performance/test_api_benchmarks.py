"""pytest-benchmark tests for the API handlers (run: pytest tests/performance --benchmark-json=out.json)."""
import asyncio

import pytest

from app.main import dashboard_stats, list_detections, list_project_videos


def test_dashboard_stats_speed(benchmark):
    result = benchmark(dashboard_stats)
    assert result["videos"] == 42


@pytest.mark.parametrize("limit", [10, 100])
def test_detections_speed(benchmark, limit):
    benchmark(lambda: asyncio.run(list_detections("v-1", limit)))


class TestProjectEndpoints:
    def test_list_videos(self, benchmark):
        benchmark(lambda: asyncio.run(list_project_videos("test-project-123")))

    def test_status_only(self):
        assert dashboard_stats()["projects"] == 3

    def helper(self, benchmark):
        pass

    class TestNested:
        def test_inner(self):
            pass


class NotATestClass:
    def test_ignored(self):
        pass


def test_plain():
    """def test_in_docstring(benchmark): not a test"""
    assert True
