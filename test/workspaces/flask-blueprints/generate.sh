#!/bin/sh
# Regenerate routes.txt: the routes Flask itself registers for this app (method and rule,
# sorted, without HEAD/OPTIONS it adds by itself and the static route), which
# test/unit/locate/crossFile.test.ts compares with the located endpoints.
# Needs the Debian python3-flask package. Run from anywhere: sh test/workspaces/flask-blueprints/generate.sh
set -e
cd "$(dirname "$0")"
/usr/bin/python3 - <<'PY' > routes.txt
from shop import create_app
app = create_app()
rows = sorted(f"{m} {r.rule}" for r in app.url_map.iter_rules() if r.endpoint != "static" for m in r.methods - {"HEAD", "OPTIONS"})
print("\n".join(rows))
PY
find . -name __pycache__ -type d -exec rm -rf {} +
