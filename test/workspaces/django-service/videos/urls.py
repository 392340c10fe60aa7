"""URL configuration of the videos app (Django)."""
from django.urls import include, path, re_path

from . import views

app_name = "videos"

urlpatterns = [
    path("api/projects/<int:project_id>/videos/", views.project_videos, name="project-videos"),
    path("api/dashboard/stats", views.dashboard_stats),
    re_path(r"^api/videos/(?P<video_id>[0-9a-f-]+)/detections$", views.detections),
    # path("api/commented/", views.nothing),
    path("admin/", include("django.contrib.admin.urls")),
]
