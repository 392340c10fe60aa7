"""pytest-benchmark regression tests of the service's hot paths (the seed's regression suite)."""
import pytest

from app.catalog import dashboard_stats, detections, videos_page


@pytest.mark.parametrize("limit", [10, 100])
def test_videos_page(benchmark, limit):
    result = benchmark(videos_page, "test-project-123", 10, limit)
    assert len(result["videos"]) == limit


def test_detections(benchmark):
    assert len(benchmark(detections, "video-42", 500)) == 500


def test_dashboard_stats(benchmark):
    assert benchmark(dashboard_stats, [])["videos"] == 500
