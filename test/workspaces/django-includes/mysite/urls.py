"""The project's URLconf: every app is mounted here under a prefix, the way Django projects are laid out."""
from django.urls import include, path, re_path

from videos import urls as video_urls

from . import views

urlpatterns = [
    path("health", views.health),
    # A dotted module string.
    path("api/", include("videos.urls")),
    # The same URLconf again, as an imported module object: its routes are served twice.
    path("api/v2/", include(video_urls)),
    # A regex prefix and an (urlconf, app_name) tuple with a namespace.
    re_path(r"^legacy/", include(("projects.urls", "projects"), namespace="legacy")),
    # An inline list.
    path("inline/", include([path("ping/", views.health)])),
]
