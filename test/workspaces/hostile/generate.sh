#!/bin/sh
# Regenerates .perf/results/ of the hostile workspace with real tools on this machine:
# pytest-benchmark ids, hyperfine names/commands and our load engine's request names all carry
# HTML/script payloads. Needs Debian python3-pytest-benchmark and hyperfine; run after
# `npx tsc -p .` in the repo root:  sh test/workspaces/hostile/generate.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$HERE/.perf/results"
cd "$HERE"
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pytest -q -p no:cacheprovider tests \
  --benchmark-min-rounds=5 --benchmark-max-time=0.000001 --benchmark-json=.perf/results/bench.json >/dev/null
hyperfine --runs 3 --style none --export-json .perf/results/hyperfine.json \
  -n "<img src=x onerror=\"document.body.dataset.xss='hyperfine'\">" "sleep 0.01; echo '</script><script>document.title=1</script>'" >/dev/null
# A load run whose request names are payloads; the server fails one route so errors are listed too.
PORT=${HOSTILE_PORT:-18791}
node -e "require('http').createServer((q,s)=>{s.statusCode=q.url.startsWith('/fail')?500:200;s.end('ok')}).listen($PORT,'127.0.0.1')" &
SERVER=$!
sleep 0.5
cat > "$TMP/s.json" <<JSON
{ "target": "http://127.0.0.1:$PORT", "connections": 2, "maxRequests": 200,
  "requests": [
    { "name": "<img src=x onerror=\"document.body.dataset.xss='load'\">", "path": "/a?q=<b>x</b>" },
    { "name": "</script><script>document.body.dataset.xss='load2'</script>", "path": "/fail" } ] }
JSON
node "$REPO/out/src/engines/loadMain.js" --scenario "$TMP/s.json" --out .perf/results/load.json --suite "<i>load</i>" >/dev/null 2>&1
rm -rf "$HERE/.benchmarks"  # pytest-benchmark storage, not needed
echo "regenerated $HERE/.perf/results"
