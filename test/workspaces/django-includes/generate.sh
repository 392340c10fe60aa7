#!/bin/sh
# Regenerate routes.txt: the URL patterns Django itself resolves for this project, includes
# followed (a regex pattern written as a route: `(?P<name>…)` → `{name}`, anchors dropped, as
# the locator writes it), sorted; test/unit/locate/crossFile.test.ts compares them with the
# located endpoints. Needs the Debian python3-django package. Run from anywhere:
# sh test/workspaces/django-includes/generate.sh
set -e
cd "$(dirname "$0")"
DJANGO_SETTINGS_MODULE=mysite.settings /usr/bin/python3 - <<'PY' > routes.txt
import re
import django
django.setup()
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

def piece(p):
    s = str(p.pattern)
    if isinstance(p.pattern, RegexPattern):
        s = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", s.lstrip("^").rstrip("$")).replace("\\", "")
    return s

def walk(patterns, prefix):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + piece(p))
        else:
            yield "* /" + prefix + piece(p)

print("\n".join(sorted(walk(get_resolver().url_patterns, ""))))
PY
find . -name __pycache__ -type d -exec rm -rf {} +
