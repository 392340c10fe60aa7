from fastapi import APIRouter, FastAPI

# A sub-application: main.py mounts it at /admin, so its routes are served under that path.
admin = FastAPI(title="Admin")
reports = APIRouter(prefix="/reports")


@reports.get("/daily")
def daily_report():
    return []


admin.include_router(reports)


@admin.get("/stats")
def admin_stats():
    return {}
