"""A gallery of broken knowledge files: each must fail with the words a researcher needs.

Each file in ``broken/`` names where it goes (``# target:``) and the words its error must
contain (``# expect: a | b``). The test copies the real knowledge base, drops the broken
file in, and loads it without cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from npp.errors import LawDataError
from npp.law.loader import default_knowledge_dir, load_knowledge

GALLERY = sorted((Path(__file__).parent / "broken").glob("*.yaml"))


def _header(path: Path, key: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{path.name} has no '# {key}:' line")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(default_knowledge_dir(), root)
    return root


@pytest.mark.parametrize("broken", GALLERY, ids=[p.stem for p in GALLERY])
def test_broken_file_is_rejected_with_a_helpful_message(
    broken: Path, pristine: Path, tmp_path: Path
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(pristine, root)
    target = root / _header(broken, "target")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(broken, target)
    with pytest.raises(LawDataError) as err:
        load_knowledge(root, use_cache=False)
    message = str(err.value)
    for words in _header(broken, "expect").split("|"):
        assert words.strip() in message, f"{words.strip()!r} not in:\n{message}"


def test_every_problem_names_file_then_key_path(pristine: Path, tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(pristine, root)
    shutil.copy(GALLERY[0].parent / "unknown_key.yaml", root / "domestic" / "th" / "zz.yaml")
    with pytest.raises(LawDataError) as err:
        load_knowledge(root, use_cache=False)
    for problem in err.value.problems:
        assert problem.where.startswith("knowledge/")
        assert " → " in problem.problem


def test_the_real_knowledge_base_loads_without_problems() -> None:
    kb = load_knowledge(use_cache=False)
    assert len(kb.profiles) == 10


def test_cached_load_equals_fresh_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = load_knowledge(use_cache=False)
    from npp.law import loader

    loader._MEMO.clear()
    first = load_knowledge()
    loader._MEMO.clear()
    cached = load_knowledge()
    assert list(tmp_path.rglob("kb-*.pickle"))
    assert cached.instruments == fresh.instruments == first.instruments
