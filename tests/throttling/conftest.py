"""The shared cache the limits and lockouts are counted in: the database's (default) or Redis."""

import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/2"


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "redis", "redis-unreachable"])
def shared_cache(request, settings):
    """Each test runs on the database cache (the default), on Redis (db 2, own key prefix), and on
    a Redis that cannot be reached, where the counts fall back to the database cache."""
    if request.param == "database":
        yield request.param
        return
    if request.param == "redis" and not redis_available():
        pytest.skip("no Redis at 127.0.0.1:6379")
    location = REDIS_URL if request.param == "redis" else "redis://127.0.0.1:1/0"
    prefix = f"notesite-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "throttling.cache.RedisCacheWithFallback",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"FALLBACK": "ratelimit-fallback", "socket_connect_timeout": 0.5},
        },
        "ratelimit-fallback": settings.CACHES["ratelimit"],
    }
    yield request.param
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
