#!/bin/sh
# Regenerates this workspace's run history (.perf/history/*.jsonl, .perf/baselines.json) from
# real measurements on this machine: two headless Locust runs against the Locust fixture's
# FastAPI app, six hyperfine runs (a 20 ms sleep that becomes 60 ms from the 4th run: a real
# regression), and two memory samplings of a real Node process (one leaking). The commit ids
# on the benchmark runs are labels (this folder is not a git repo); the numbers are measured.
# Needs Debian python3-locust, python3-fastapi, python3-uvicorn, hyperfine; run from anywhere:
#   sh test/workspaces/panel/generate.sh   (after `npx tsc -p .` in the repo root)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
TMP=$(mktemp -d)
PORT=${PANEL_FIXTURE_PORT:-18767}
export PYTHONDONTWRITEBYTECODE=1
cd "$REPO/test/fixtures/locust"
/usr/bin/python3 -m uvicorn server:app --host 127.0.0.1 --port "$PORT" --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
i=0
until /usr/bin/python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/dashboard/stats')" 2>/dev/null; do
  i=$((i+1)); [ $i -gt 50 ] && { echo "server did not start" >&2; exit 1; }; sleep 0.2
done
cd "$TMP"
# Memory samplings run meanwhile (they take 6 s each).
node "$HERE/gen/memory.js" --leak > mem-leak.json &
node "$HERE/gen/memory.js" > mem-flat.json &
# 13 s: Locust flushes the history CSV every 10 s (see test/fixtures/locust/generate.sh).
for U in 2 6; do
  /usr/bin/python3 -m locust -f "$HERE/locustfile.py" --headless -u $U -r $U -t 13s \
    --host "http://127.0.0.1:$PORT" --csv "load$U" --csv-full-history --only-summary --loglevel WARNING || true
done
wait_for() { while [ ! -s "$1" ]; do sleep 0.2; done; }
wait_for mem-leak.json; wait_for mem-flat.json
for R in 1 2 3 4 5 6; do
  if [ $R -le 3 ]; then D=0.02; else D=0.06; fi
  hyperfine -N --runs 20 --warmup 2 --style none --export-json "bench$R.json" \
    -n "tests/test_bench.py::test_parse" "sleep $D" \
    -n "<img src=x onerror=\"document.body.dataset.xss='1'\">" "sleep 0.01" > /dev/null
done
rm -rf "$HERE/.perf"
node "$REPO/out/bench/panel/makeHistory.js" "$TMP" "$HERE"
ls -l "$HERE/.perf" "$HERE/.perf/history"
