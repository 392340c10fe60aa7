from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.post("/daily")
def daily_report():
    return {"ok": True}
