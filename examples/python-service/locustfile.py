"""Load test like the seed's locustfile: weighted tasks, Locust `name=` grouping of URLs."""
import random

from locust import HttpUser, between, task


class VideoPlatformUser(HttpUser):
    wait_time = between(0.1, 0.5)
    project_id = "test-project-123"

    @task(3)
    def list_videos(self):
        self.client.get(f"/api/projects/{self.project_id}/videos",
                        params={"offset": random.randint(0, 100), "limit": random.choice([10, 25, 50, 100])},
                        name="/api/projects/[project_id]/videos")

    @task(2)
    def upload_video(self):
        self.client.post("/api/videos/upload", json={"project_id": self.project_id})

    @task(4)
    def get_detections(self):
        video = random.choice(["video-1", "video-42", "video-99"])
        self.client.get(f"/api/videos/{video}/detections", params={"limit": random.choice([50, 100, 500])},
                        name="/api/videos/[video_id]/detections")

    @task(2)
    def dashboard(self):
        self.client.get("/api/dashboard/stats")
