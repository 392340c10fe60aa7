#!/bin/sh
# Regenerate routes.txt: the routes FastAPI itself registers for this app, mounted
# sub-applications included (method and path, sorted), which test/unit/locate/crossFile.test.ts
# compares with the located endpoints.
# Needs the Debian python3-fastapi package. Run from anywhere: sh test/workspaces/fastapi-routers/generate.sh
set -e
cd "$(dirname "$0")"
/usr/bin/python3 - <<'PY' > routes.txt
from fastapi.routing import APIRoute
from starlette.routing import Mount
from app.main import app

def walk(routes, prefix):
    for r in routes:
        if isinstance(r, APIRoute):
            yield from (f"{m} {prefix}{r.path}" for m in r.methods)
        elif isinstance(r, Mount):  # a mounted sub-application serves its routes under the mount path
            yield from walk(r.routes, prefix + r.path)

print("\n".join(sorted(walk(app.routes, ""))))
PY
rm -rf app/__pycache__ app/routers/__pycache__
