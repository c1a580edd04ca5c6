"""The performance benchmark (`manage.py bench`), a development app with no models.

`synthetic` builds the library and history (`library`, `history` and `rows` write it),
`measure` and `saves` time requests and saves in-process, `load` serves the app with gunicorn
(`server`, under the bench-only `settings` and `urls`, which add the `write_anchor` view) and
drives it with wrk, and `report` runs them all and prints every figure beside its budget.
"""
