# The panel fixture's benchmark (measured with hyperfine by ../generate.sh).
def test_parse():
    pass
