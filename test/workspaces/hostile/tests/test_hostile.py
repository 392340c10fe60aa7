# Benchmarks whose ids carry HTML/script payloads (test/e2e/hostile.e2e.test.ts): the names must
# show as text in lenses, hovers and the panel, and nothing may run.
import pytest

PAYLOADS = [
    "<img src=x onerror=\"document.body.dataset.xss='img'\">",
    "</script><script>document.body.dataset.xss='script'</script>",
    "\"><svg onload=\"document.body.dataset.xss='svg'\">",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOADS)
def test_render(benchmark, payload):
    benchmark(lambda: payload.upper())
