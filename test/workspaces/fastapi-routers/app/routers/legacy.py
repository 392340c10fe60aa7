from fastapi import APIRouter

router = APIRouter()


@router.get("/status")
def legacy_status():
    return {"status": "ok"}
