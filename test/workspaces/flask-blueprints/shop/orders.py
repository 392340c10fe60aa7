from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.get("/<int:order_id>")
def get_order(order_id):
    return {"id": order_id}


@bp.route("/recent", methods=["GET", "POST"])
def recent_orders():
    return []
