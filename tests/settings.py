"""The test run's settings: production's (notesite.settings) over plain http on 127.0.0.1.

pytest-django loads the settings module named in pyproject.toml before pytest reads any
conftest.py, so the test environment is set here, where it comes before notesite.settings reads
it. The variables go into os.environ (a caller's own value wins where it may), so that a test
that reloads notesite.settings or starts manage.py or gunicorn sees the same configuration.
"""

import os

# Plain http: no redirect to https, cookies over http, no HSTS. A caller may set its own.
for name, value in {
    "DJANGO_SECRET_KEY": "tests-only-secret-key-never-used-in-production-0123456789",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}.items():
    os.environ.setdefault(name, value)
# Tests expect due dates exactly as FSRS computes them, and static files by their own names
# (the live server serves them from the finders; hashed names exist only after collectstatic).
os.environ["NOTESITE_FSRS_FUZZING"] = "0"
os.environ["DJANGO_STATIC_MANIFEST"] = "0"

from notesite.settings import *  # noqa: E402, F403

# A real password hash costs a large fraction of a second per log-in and per user made; tests
# make thousands. Production's hashers are never switched by its environment.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
