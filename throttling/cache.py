"""The shared caches the limits are counted in: the database's, and Redis's with the database's
as its fallback."""

import logging

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TABLE = "notesite_cache"


class AtomicDatabaseCache(DatabaseCache):
    """Django's DatabaseCache increments by reading and then writing the value: two workers counting
    the same client at once would both write n + 1. Here the row is locked first (SELECT ... FOR
    UPDATE where the database has it; SQLite's IMMEDIATE transactions serialise writers anyway)."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


class RedisCacheWithFallback(RedisCache):
    """Django's Redis cache that, while Redis cannot be reached, counts in another cache (the
    database's, OPTIONS["FALLBACK"]) instead of failing the request: the limits keep holding
    across workers, and a Redis outage costs one log line per request, never a 500."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.fallback_alias = options.pop("FALLBACK")
        super().__init__(server, {**params, "OPTIONS": options})


def _with_fallback(name):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("Redis unreachable (%s); counting in the %r cache", error, self.fallback_alias)
            return getattr(caches[self.fallback_alias], name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in ("add", "get", "set", "touch", "delete", "incr", "has_key", "clear",
              "get_many", "set_many", "delete_many"):
    setattr(RedisCacheWithFallback, _name, _with_fallback(_name))
