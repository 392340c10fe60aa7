from fastapi import APIRouter

router = APIRouter(prefix="/videos", tags=["videos"])


@router.get("/{video_id}")
def get_video(video_id: int):
    return {"id": video_id}


@router.post("/upload")
def upload_video():
    return {"ok": True}


@router.api_route("/{video_id}/thumbnail", methods=["GET", "HEAD"])
def thumbnail(video_id: int):
    return {"id": video_id}
