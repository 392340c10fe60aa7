#!/bin/sh
# Regenerates tool-ids/: the test and benchmark ids the real tools report for the fixture
# projects here, so unit tests can check that our locators and id mapping agree with them.
# Run from anywhere: sh test/workspaces/generate-tool-ids.sh  (needs /usr/bin/python3 with
# pytest-benchmark and fastapi/flask, Go, and the project's node_modules for mocha).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/tool-ids"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# pytest node ids and pytest-benchmark fullnames (FastAPI and Flask services).
for svc in fastapi-service flask-service; do
  (cd "$here/$svc" && /usr/bin/python3 -m pytest -q -p no:cacheprovider --collect-only tests) |
    grep '::' >"$out/pytest-$svc.txt"
  (cd "$here/$svc" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests \
    --benchmark-json="$tmp/bench.json" --benchmark-min-rounds=1 --benchmark-max-time=0.01 >/dev/null)
  /usr/bin/python3 -c 'import json,sys; [print(b["fullname"]) for b in json.load(open(sys.argv[1]))["benchmarks"]]' \
    "$tmp/bench.json" >"$out/pytest-benchmark-$svc.txt"
done

# mocha fullTitles (passing and pending) of the Express service's tests.
(cd "$here/express-service" && "$here/../../node_modules/.bin/mocha" --reporter json test/api.test.js >"$tmp/mocha.json")
node -e 'const r=require(process.argv[1]); for (const t of [...r.passes, ...r.pending, ...r.failures]) console.log(t.fullTitle)' \
  "$tmp/mocha.json" | sort >"$out/mocha-express-service.txt"

# Go: test list, and benchmark names as `go test -bench` prints them (BenchmarkX-N, sub-benchmarks).
(cd "$here/go-service" && go test -vet=off -list '.*' . | grep -E '^(Test|Benchmark)') >"$out/go-list.txt"
(cd "$here/go-service" && go test -vet=off -run '^$' -bench . -benchtime 1x .) | awk '/^Benchmark/ {print $1}' >"$out/go-bench.txt"
echo "wrote $(ls "$out" | wc -l) files to $out"
