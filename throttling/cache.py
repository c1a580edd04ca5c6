"""Django's database cache with an atomic increment, so concurrent requests count every hit.

Django's DatabaseCache increments by reading and then writing the value: two workers counting
the same client at once would both write n + 1. Here the row is locked first (SELECT ... FOR
UPDATE where the database has it; SQLite's IMMEDIATE transactions serialise writers anyway).
"""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

TABLE = "notesite_cache"


class AtomicDatabaseCache(DatabaseCache):
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
