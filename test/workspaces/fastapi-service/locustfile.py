"""Load test for the video API: locust -f locustfile.py --headless -u 10 -r 2 -t 30s --host http://127.0.0.1:8000"""
from locust import HttpUser, between, task


class ApiUser(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.project_id = "test-project-123"

    @task(3)
    def list_videos(self):
        self.client.get(f"/api/projects/{self.project_id}/videos", name="/api/projects/[id]/videos")

    @task
    def dashboard(self):
        self.client.get("/api/dashboard/stats")

    @task(2)
    def upload(self):
        with self.client.post("/api/videos/upload", files={"file": b"x" * 1024}, catch_response=True) as resp:
            resp.success()

    def not_a_task(self):
        self.client.get("/api/ignored")
