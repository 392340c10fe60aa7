from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.route("/items/<item_id>")
def get_item(item_id):
    return {"id": item_id}
