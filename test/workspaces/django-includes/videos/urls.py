"""The videos app's URLconf: no prefix of its own; the project mounts it (mysite/urls.py)."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.index),
    path("videos/<int:video_id>/", views.detail),
    path("videos/<int:video_id>/detections", views.detections),
    # Nested: projects' URLconf under this one's prefix.
    path("projects/", include("projects.urls")),
]
