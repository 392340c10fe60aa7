# Load profile for the panel fixture. One request name is hostile HTML on purpose: the panel
# must show it as text (an <img> with onerror would run script if it were parsed as HTML).
from locust import HttpUser, task, between


class ApiUser(HttpUser):
    wait_time = between(0.02, 0.1)

    @task(3)
    def videos(self):
        self.client.get("/api/projects/p1/videos", name="/api/projects/[id]/videos")

    @task(2)
    def stats(self):
        self.client.get("/api/dashboard/stats", name="<img src=x onerror=\"document.body.dataset.xss='1'\">")

    @task(1)
    def missing(self):
        with self.client.get("/api/missing", name="/api/missing", catch_response=True) as r:
            if r.status_code == 404:
                r.failure("404 <b>not found</b>")
