"""Flask app factory with a blueprint mounted under /api."""
from flask import Blueprint, Flask, jsonify

bp = Blueprint("videos", __name__, url_prefix="/videos")
admin = Blueprint("admin", __name__, url_prefix="/ignored")


@bp.route("/<int:video_id>/detections", methods=["GET", "POST"])
def detections(video_id):
    return jsonify(video_id=video_id, detections=[])


@bp.get("/<video_id>")
def get_video(video_id):
    return jsonify(id=video_id)


@admin.delete("/cache")
def clear_cache():
    return "", 204


def create_app():
    app = Flask(__name__)

    @app.route("/health", methods=["GET"])
    def health():
        return "ok"

    app.register_blueprint(bp, url_prefix="/api/videos")
    app.register_blueprint(admin, url_prefix="/admin")
    return app


app = Flask(__name__)


@app.route("/api/projects/<int:project_id>/videos")
def project_videos(project_id):
    return jsonify(project_id=project_id, videos=[])


app.register_blueprint(bp, url_prefix="/api/videos")
app.register_blueprint(admin, url_prefix="/admin")
