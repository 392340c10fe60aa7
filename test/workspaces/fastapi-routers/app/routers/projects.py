from fastapi import APIRouter

router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("/{project_id}/videos")
def project_videos(project_id: str):
    return []
