from app import app


def test_project_videos():
    client = app.test_client()
    assert client.get("/api/projects/7/videos").status_code == 200


def test_detections_speed(benchmark):
    client = app.test_client()
    benchmark(client.get, "/api/videos/7/detections")
