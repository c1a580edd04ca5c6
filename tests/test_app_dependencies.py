"""Knowledge between the apps runs one way: accounts -> quizzes -> articles. No app imports one
above it, and articles does not even name one (an app or model label, a URL name)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# app -> the apps above it
ABOVE = {"articles": ("quizzes", "accounts"), "quizzes": ("accounts",)}


def imported(tree: ast.AST):
    """(line, module) for every import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module


def named(tree: ast.AST):
    """(line, name) for every import and every string constant."""
    yield from imported(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def mentions(name: str, app: str) -> bool:
    return name == app or name.startswith((f"{app}.", f"{app}:"))


def references(app: str, others, names=imported) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in names(tree):
            if any(mentions(name, other) for other in others):
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    return found


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_no_app_above_it(app):
    assert references(app, ABOVE[app]) == []


def test_articles_names_no_app_above_it():
    assert references("articles", ABOVE["articles"], names=named) == []


SAMPLE = ast.parse(
    'from quizzes.extraction import plan_facts\nMODEL = "quizzes.KeyFact"\nURL = "accounts:signup"'
)


def test_the_import_scan_sees_imports_only():
    assert [name for _, name in imported(SAMPLE)] == ["quizzes.extraction"]


def test_the_name_scan_sees_model_labels_and_url_names():
    names = [name for _, name in named(SAMPLE)]
    assert names == ["quizzes.extraction", "quizzes.KeyFact", "accounts:signup"]


def test_a_path_is_not_a_name():
    assert not mentions("accounts/signup/", "accounts")
