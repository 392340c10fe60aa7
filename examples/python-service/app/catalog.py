"""The service's data logic, shared by the HTTP handlers and the benchmarks."""
import copy
import os

VIDEOS = [
    {"id": f"video-{i}", "project_id": f"project-{i % 5}", "title": f"Inspection run {i}",
     "duration_sec": 30 + i % 90, "detections": 20 + (i * 7) % 200}
    for i in range(500)
]

SLOW = os.environ.get("SLOW") == "1"


def videos_page(project_id: str, offset: int, limit: int) -> dict:
    # SLOW=1: the regression a defensive deep copy of the whole catalogue per request would be —
    # large enough (several times the page) to stand out even when the baseline was measured on a busy box.
    source = copy.deepcopy(VIDEOS) if SLOW else VIDEOS
    videos = [v for v in source if v["project_id"] == project_id or project_id.startswith("test-")]
    page = [{**v, "url": f"/api/videos/{v['id']}"} for v in videos[offset:offset + limit]]
    return {"total": len(videos), "offset": offset, "limit": limit, "videos": page}


def detections(video_id: str, limit: int) -> list:
    seed = len(video_id)
    labels = ["car", "person", "bike"]
    return [{"frame": i * 10, "label": labels[(i + seed) % 3], "confidence": 0.5 + ((i * 37 + seed) % 50) / 100}
            for i in range(min(limit, 500))]


def dashboard_stats(history: list) -> dict:
    return {"projects": 5, "videos": len(VIDEOS), "total_detections": sum(v["detections"] for v in VIDEOS),
            "requests_seen": len(history)}
