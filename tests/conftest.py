import importlib
import os
from unittest import mock

import pytest
from django.test import Client

from tests.factories import make_user


@pytest.fixture(autouse=True)
def library_aliases_reloaded():
    """Each test reads the aliases of its own library, not those a rolled-back test left in
    the process's memory."""
    from quizzes import aliases

    aliases.forget()


@pytest.fixture(autouse=True)
def rate_limits_counted_afresh(request):
    """Each test starts with no request counted against its limits: the counts live in a cache
    table that flushing the database between browser tests does not empty."""
    if "django_db" not in request.keywords and "live_server" not in request.fixturenames:
        return
    from django.core.cache import caches

    request.getfixturevalue("live_server" if "live_server" in request.fixturenames else "db")
    caches["ratelimit"].clear()


@pytest.fixture
def client():
    """The test client, reading the site in English unless a test asks otherwise."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def learner(db):
    return make_user("learner1")


@pytest.fixture
def staff(db):
    return make_user("editor1", staff=True)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _settings_under(environment: dict):
    with mock.patch.dict(os.environ, environment, clear=True):
        import notesite.settings as module

        return importlib.reload(module)


@pytest.fixture
def reloaded_settings():
    """notesite.settings as it reads a given environment: `reloaded_settings({"DJANGO_DEBUG": "1"})`."""
    yield _settings_under
    _settings_under(dict(os.environ))  # the module as the test run configured it
