#!/bin/sh
# Regenerates hyperfine.json: real hyperfine --export-json output of the suite in
# perf-lens.config.json (two named commands, one command run as a script, one inline -c
# that maps to nothing). Run from anywhere: sh test/workspaces/hyperfine-map/generate.sh
# (needs hyperfine, /usr/bin/python3 and node).
set -eu
cd "$(dirname "$0")"
hyperfine --runs 5 --warmup 1 --style none --export-json hyperfine.json \
  -n sort '/usr/bin/python3 bench/textops.py sort 20000' \
  -n json '/usr/bin/python3 bench/textops.py json 20000' \
  'node scripts/startup.js' \
  '/usr/bin/python3 -c pass' >/dev/null
