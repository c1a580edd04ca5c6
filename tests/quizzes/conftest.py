import pytest

from tests.factories import make_quiz_topic


@pytest.fixture
def topic():
    """深度学习 (dl): one published note of six facts, enough for a five-question quiz."""
    return make_quiz_topic()
