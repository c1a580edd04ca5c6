"""A migration operation with SQL for each database, for what Django's fields cannot say."""

from django.db.migrations.operations.base import Operation


class RunVendorSQL(Operation):
    """Like RunSQL, with statements per connection vendor ("sqlite", "postgresql")."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, forwards: dict[str, list[str]], backwards: dict[str, list[str]]):
        self.forwards = forwards
        self.backwards = backwards

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"forwards": self.forwards, "backwards": self.backwards})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.forwards)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, self.backwards)

    def _run(self, schema_editor, statements):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"search has no index for {vendor}")
        for statement in statements[vendor]:
            schema_editor.execute(statement, params=None)

    def describe(self):
        return "Database-specific search index"
