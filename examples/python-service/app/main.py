"""The seed's video platform API (FastAPI), small: projects, videos, detections, dashboard stats.

LEAK=1 turns on the dashboard bug (every request's snapshot kept forever); SLOW=1 makes the
videos page slower. Run: /usr/bin/python3 -m uvicorn app.main:app --port 8000
"""
import os
import time

from fastapi import APIRouter, FastAPI

from app.catalog import dashboard_stats, detections, videos_page

app = FastAPI(title="video platform")
router = APIRouter(prefix="/api")
_history = []
LEAK = os.environ.get("LEAK") == "1"


@app.get("/health")
def health():
    return {"ok": True}


@router.get("/projects/{project_id}/videos")
def list_videos(project_id: str, offset: int = 0, limit: int = 25):
    return videos_page(project_id, offset, min(limit, 100))


@router.post("/videos/upload", status_code=202)
def upload_video(payload: dict):
    return {"id": f"video-{int(time.time() * 1000)}", "status": "queued", "project_id": payload.get("project_id")}


@router.get("/videos/{video_id}/detections")
def get_detections(video_id: str, limit: int = 50):
    return {"video_id": video_id, "detections": detections(video_id, limit)}


@router.get("/dashboard/stats")
def get_dashboard_stats():
    stats = dashboard_stats(_history)
    _history.append({"at": time.time(), "stats": stats, "padding": [stats["total_detections"]] * 2048})
    if not LEAK and len(_history) > 100:
        _history.pop(0)
    return stats


app.include_router(router)
