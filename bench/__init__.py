"""The performance benchmark (`manage.py bench`), a development app with no models.

`synthetic` builds the data (`library`, `history`, written in bulk by `rows`), `measure` and
`saves` time pages and saves in-process, `load` serves the app with gunicorn (`server`, under
the bench-only `settings` and `urls`, which add the `views` write anchor) and drives it with
wrk (`wrk`, `flood`), and `report` runs them all and prints every figure beside its budget.
"""
