"""The least a Django project needs for its URL resolver (generate.sh lists what it registers)."""
SECRET_KEY = "fixture-only"
ROOT_URLCONF = "mysite.urls"
INSTALLED_APPS = []
