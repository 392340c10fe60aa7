"""Benchmarks of the API's hot paths (pytest-benchmark)."""


def build_payload(n):
    return [{"id": i, "name": f"video-{i}"} for i in range(n)]


def test_build_payload(benchmark):
    result = benchmark(build_payload, 100)
    assert len(result) == 100
