# The panel fixture's benchmark. Its stored timings come from hyperfine (../generate.sh) under
# this test's id, so the lens above it opens its history in the panel.
def test_parse(benchmark):
    benchmark(lambda: sum(range(100)))
