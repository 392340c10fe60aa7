#!/bin/sh
# The Python that runs this example's suites (`sh perf/python.sh -m pytest …` in
# perf-lens.config.json): $PERF_LENS_PYTHON when set (a venv, pyenv, conda …); else `python3` on
# PATH when it has the example's packages; else Debian's /usr/bin/python3, where apt's
# python3-fastapi, python3-uvicorn and python3-pytest-benchmark live. `exec` keeps one process,
# so the memory suite samples Python itself.
if [ -n "$PERF_LENS_PYTHON" ]; then exec "$PERF_LENS_PYTHON" "$@"; fi
if python3 -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("fastapi", "uvicorn", "pytest_benchmark")))' 2>/dev/null; then
  exec python3 "$@"
fi
exec /usr/bin/python3 "$@"
