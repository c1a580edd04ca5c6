"""Settings of the gunicorn the bench launches: the site's own, with the bench-only URLconf."""

from notesite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
