"""The README's "Where things are" names every module of the apps, and only modules that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["notesite", "accounts", "articles", "quizzes", "search", "terms", "throttling", "bench"]


def mapped_paths() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    paths = set()
    for line in section.splitlines():
        if not line.lstrip().startswith("- "):
            continue
        folder = None
        for name in re.findall(r"`([^`]+\.py)`", line):
            if "/" in name:
                folder = name.rsplit("/", 1)[0]
                paths.add(name)
            elif folder:  # `a/b/one.py`, `two.py`: the second is in the first's folder
                paths.add(f"{folder}/{name}")
    return paths


def modules() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if path.name in ("__init__.py", "apps.py") or "/migrations/" in relative:
                continue
            found.add(relative)
    return found


def test_every_module_is_on_the_map():
    assert sorted(modules() - mapped_paths()) == []


def test_every_module_on_the_map_exists():
    assert sorted(mapped_paths() - modules()) == []
