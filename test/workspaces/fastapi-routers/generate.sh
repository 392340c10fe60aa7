#!/bin/sh
# Regenerate routes.txt: the routes FastAPI itself registers for this app (method and path,
# sorted), which test/unit/locate/crossFile.test.ts compares with the located endpoints.
# Needs the Debian python3-fastapi package. Run from anywhere: sh test/workspaces/fastapi-routers/generate.sh
set -e
cd "$(dirname "$0")"
/usr/bin/python3 - <<'PY' > routes.txt
from fastapi.routing import APIRoute
from app.main import app
rows = sorted(f"{m} {r.path}" for r in app.routes if isinstance(r, APIRoute) for m in r.methods)
print("\n".join(rows))
PY
rm -rf app/__pycache__ app/routers/__pycache__
