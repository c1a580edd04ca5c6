"""The search index's queries, one class per database: SQLite FTS5, PostgreSQL full text.

A query is a list of groups: a note must match every group, and a group when it holds every
word of any one of the group's alternatives (a word, or the words of a term's alias). Every word
reaches the database as a bound parameter or a quoted string, never as query syntax of its own.
"""

from django.db import connection

from articles.models import Article
from search.words import Word

# Title, key facts, body: how much a match in each counts.
WEIGHTS = (10.0, 4.0, 1.0)

Groups = list[list[tuple[Word, ...]]]


def current():
    return _BACKENDS[connection.vendor]()


def _article_table() -> str:
    return connection.ops.quote_name(Article._meta.db_table)


def _status_filter(statuses) -> tuple[str, list]:
    if statuses is None:
        return "", []
    return f" AND a.status IN ({', '.join(['%s'] * len(statuses))})", list(statuses)


class SQLiteBackend:
    def match(self, groups: Groups) -> str:
        """An FTS5 expression: every word a quoted string, so `"`, `*`, NEAR, `-`, `:` and
        parentheses typed by anyone are only text."""

        def string(word: Word) -> str:
            quoted = '"' + word.text.replace('"', '""') + '"'
            return quoted + "*" if word.prefix else quoted

        def alternatives(group) -> str:
            return " OR ".join("(" + " AND ".join(map(string, words)) + ")" for words in group)

        return " AND ".join(f"({alternatives(group)})" for group in groups)

    def documents(self, groups: Groups, statuses, limit: int, offset: int) -> tuple[list[int], int]:
        status_sql, status_params = _status_filter(statuses)
        # bm25() is only allowed beside its MATCH, so the matches are scored first, once
        # (MATERIALIZED: else SQLite runs the MATCH again for every published note).
        sql = (
            "WITH m AS MATERIALIZED (SELECT rowid AS id, "
            "bm25(search_document_fts, %s, %s, %s) AS score FROM search_document_fts "
            "WHERE search_document_fts MATCH %s) "
            f"SELECT m.id, count(*) OVER () FROM m JOIN {_article_table()} a ON a.id = m.id "
            f"WHERE 1 = 1{status_sql} ORDER BY m.score, m.id LIMIT %s OFFSET %s"
        )
        rows = _fetch(sql, [*WEIGHTS, self.match(groups), *status_params, limit, offset])
        return [row[0] for row in rows], rows[0][1] if rows else 0

    def count(self, groups: Groups, statuses) -> int:
        status_sql, status_params = _status_filter(statuses)
        sql = (
            f"SELECT count(*) FROM search_document_fts f JOIN {_article_table()} a ON a.id = f.rowid "
            f"WHERE search_document_fts MATCH %s{status_sql}"
        )
        return _fetch(sql, [self.match(groups), *status_params])[0][0]

    def facts(self, groups: Groups, statuses, key: str, limit: int) -> list[tuple[int, int]]:
        status_sql, status_params = _status_filter(statuses)
        sql = (
            "SELECT min(sf.id), count(DISTINCT sf.article_id) AS notes FROM search_fact_fts "
            "JOIN search_fact sf ON sf.id = search_fact_fts.rowid "
            f"JOIN {_article_table()} a ON a.id = sf.article_id "
            f"WHERE search_fact_fts MATCH %s{status_sql} "
            "GROUP BY sf.key ORDER BY sf.key = %s DESC, notes DESC, sf.key LIMIT %s"
        )
        return _fetch(sql, [self.match(groups), *status_params, key, limit])

    def article_ids(self, groups: Groups) -> tuple[str, list]:
        """SQL for the ids of every matching note, whatever its status (for the admin)."""
        return "SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s", [
            self.match(groups)
        ]

    def refresh(self) -> None:
        """Rebuild the FTS5 tables from their rows, whatever state they were left in."""
        with connection.cursor() as cursor:
            for table in ("search_document_fts", "search_fact_fts"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


class PostgreSQLBackend:
    def match(self, groups: Groups) -> tuple[str, list]:
        """A tsquery built by PostgreSQL's own functions from each word as a parameter."""
        params = []

        def term(word: Word) -> str:
            if word.prefix:  # only [a-z0-9]+ words are prefixes (search.words)
                params.append(f"'{word.text}':*")
                return "to_tsquery('simple', %s)"
            params.append(word.text)
            return "phraseto_tsquery('simple', %s)"

        def alternatives(group) -> str:
            return " || ".join("(" + " && ".join(map(term, words)) + ")" for words in group)

        return " && ".join(f"({alternatives(group)})" for group in groups), params

    def documents(self, groups: Groups, statuses, limit: int, offset: int) -> tuple[list[int], int]:
        query, params = self.match(groups)
        status_sql, status_params = _status_filter(statuses)
        sql = (
            "SELECT d.article_id, count(*) OVER () FROM search_document d "
            f"JOIN {_article_table()} a ON a.id = d.article_id "
            f"WHERE d.vector @@ ({query}){status_sql} "
            f"ORDER BY ts_rank(d.vector, ({query})) DESC, d.article_id LIMIT %s OFFSET %s"
        )
        rows = _fetch(sql, [*params, *status_params, *params, limit, offset])
        return [row[0] for row in rows], rows[0][1] if rows else 0

    def count(self, groups: Groups, statuses) -> int:
        query, params = self.match(groups)
        status_sql, status_params = _status_filter(statuses)
        sql = (
            f"SELECT count(*) FROM search_document d JOIN {_article_table()} a ON a.id = d.article_id "
            f"WHERE d.vector @@ ({query}){status_sql}"
        )
        return _fetch(sql, [*params, *status_params])[0][0]

    def facts(self, groups: Groups, statuses, key: str, limit: int) -> list[tuple[int, int]]:
        query, params = self.match(groups)
        status_sql, status_params = _status_filter(statuses)
        sql = (
            "SELECT min(sf.id), count(DISTINCT sf.article_id) AS notes FROM search_fact sf "
            f"JOIN {_article_table()} a ON a.id = sf.article_id "
            f"WHERE sf.vector @@ ({query}){status_sql} "
            "GROUP BY sf.key ORDER BY sf.key = %s DESC, notes DESC, sf.key LIMIT %s"
        )
        return _fetch(sql, [*params, *status_params, key, limit])

    def article_ids(self, groups: Groups) -> tuple[str, list]:
        query, params = self.match(groups)
        return f"SELECT article_id FROM search_document WHERE vector @@ ({query})", params

    def refresh(self) -> None:
        """The generated columns cannot drift; fresh statistics help the planner."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document, search_fact")


_BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
