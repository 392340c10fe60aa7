from flask import Blueprint

from .reports import bp as reports_bp

# Nested blueprints (Flask >= 2.0): /api/v1/reports/...
api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
api_bp.register_blueprint(reports_bp)
