"""Video analytics API (FastAPI), the shape of the seed's service."""
from fastapi import APIRouter, FastAPI, File, UploadFile

app = FastAPI(title="Video Analytics")
projects = APIRouter(prefix="/projects", tags=["projects"])

# A comment that looks like a route: @app.get("/api/not-a-route")
NOT_A_ROUTE = '@app.get("/api/also-not-a-route")\ndef test_fake(): pass'


@projects.get("/{project_id}/videos")
async def list_project_videos(project_id: str, page: int = 1):
    return {"project_id": project_id, "videos": []}


@projects.post("/{project_id}/videos")
async def add_project_video(project_id: str):
    return {"project_id": project_id}


@app.post("/api/videos/upload")
async def upload_video(file: UploadFile = File(...)):
    return {"video_id": "v-1", "size": len(await file.read())}


@app.get("/api/videos/{video_id}/detections")
async def list_detections(video_id: str, limit: int = 100):
    return {"video_id": video_id, "detections": []}


@app.get("/api/dashboard/stats")
def dashboard_stats():
    return {"projects": 3, "videos": 42}


@app.api_route("/api/health", methods=["GET", "HEAD"])
def health():
    return {"ok": True}


def helper_not_an_endpoint():
    return "/api/projects/{project_id}/videos"


app.include_router(projects, prefix="/api")
