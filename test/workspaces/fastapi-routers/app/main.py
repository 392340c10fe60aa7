from fastapi import APIRouter, FastAPI

from app.admin import admin as admin_app
from app.routers import legacy, projects, videos
from .routers.health import router as health_router

app = FastAPI(title="Video service")

# Everything under /api; the routers bring their own /videos and /projects prefixes.
api = APIRouter(prefix="/api")
api.include_router(videos.router)
api.include_router(projects.router)
app.include_router(api)
app.include_router(health_router)

# The legacy router is served twice: the old path and the versioned one.
app.include_router(legacy.router, prefix="/v1")
app.include_router(legacy.router, prefix="/legacy")

# Sub-applications: one from another module, one declared here.
app.mount("/admin", admin_app)
internal = FastAPI()


@internal.get("/ping")
def internal_ping():
    return "pong"


app.mount(path="/internal", app=internal)

# Lookalikes the locator must ignore:
# app.include_router(videos.router, prefix="/commented-out")
NOTE = 'app.include_router(projects.router, prefix="/in-a-string")'
