"""Bulk-written rows: built by column name, given as plain tuples in the columns' order."""

import pytest

from bench.rows import REVIEW_LOGS, TABLES


def test_a_row_built_by_name_is_a_tuple_in_the_order_of_its_fields():
    row = REVIEW_LOGS.row(duration_ms=5, rating=3, id=1, reviewed_at="t", card_id=2)
    assert type(row) is tuple
    assert row == (1, 2, 3, "t", 5) and REVIEW_LOGS.fields == ("id", "card_id", "rating", "reviewed_at",
                                                              "duration_ms")


def test_a_row_missing_a_field_or_naming_another_is_refused():
    with pytest.raises(TypeError):
        REVIEW_LOGS.row(id=1, card_id=2, rating=3, reviewed_at="t")
    with pytest.raises(TypeError):
        REVIEW_LOGS.row(id=1, card_id=2, rating=3, reviewed_at="t", duration_ms=5, previous=None)


def test_every_field_of_a_bulk_written_table_is_a_column_of_its_model():
    for table in TABLES:
        for name in table.fields:
            assert table.model._meta.get_field(name).column, (table.model, name)


def test_learners_take_turns_each_keeping_their_order():
    from bench.wrk import by_turns

    rows = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1), ("c", 2)]
    assert by_turns(rows, lambda row: row[0]) == [("a", 1), ("b", 1), ("c", 1), ("a", 2), ("c", 2), ("a", 3)]
    assert by_turns([], lambda row: row) == []
