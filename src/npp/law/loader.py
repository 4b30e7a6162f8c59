"""Strict loading of the knowledge base from YAML, with a validated-object cache.

Why strict: legal researchers edit these files by hand. A duplicate key silently overrides
the first value in plain YAML; an unknown key silently vanishes. Both are legal errors, so
both are rejected, and every problem is reported as ``file → key path → problem``.

Why a cache: every ``npp`` command needs the whole base, and parsing plus validating some
fifty files each time would make a command feel slow. The validated base is pickled under
the user's cache directory, keyed by the size and modification time of every file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from npp.errors import LawDataError, Problem
from npp.law.knowledge import KnowledgeBase, Vocabulary
from npp.law.model import (
    BilateralFile,
    IndicatorSet,
    Instrument,
    OffenceTaxonomy,
    Profile,
    Recommendations,
    SourceRegister,
)
from npp.law.validate import cross_check

M = TypeVar("M", bound=BaseModel)

CACHE_FORMAT = 3


def default_knowledge_dir() -> Path:
    """``$NPP_KNOWLEDGE_DIR``, else ``knowledge/`` at the top of the source tree."""
    env = os.environ.get("NPP_KNOWLEDGE_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "knowledge"


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys and leaves dates to the models.

    YAML's own timestamp parsing raises a bare ``ValueError`` for ``2020-13-45``; leaving
    dates as text lets the model report it with the file and key path like any other error.
    """


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = 1
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node, deep=True))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_yaml(path: Path, root: Path) -> Any:
    """Parse one file strictly; YAML syntax errors become a :class:`LawDataError`."""
    shown = _display(path, root)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}" if mark is not None else "?"
        raise LawDataError([Problem(shown, f"{where} → {exc.problem}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LawDataError([Problem(shown, f"cannot read: {exc}")]) from None


def _key_path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def parse(model: type[M], data: Any, shown: str) -> M:
    """Validate ``data`` against ``model``; problems read ``file → key path → problem``."""
    if data is None:
        raise LawDataError([Problem(shown, "(top level) → the file is empty")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (not in the schema; check its spelling)"
            elif err["type"] == "missing":
                msg = "required key is missing"
            problems.append(Problem(shown, f"{_key_path(err['loc'])} → {msg}"))
        raise LawDataError(problems) from None


def _files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if p.is_file())


def _load_all(root: Path) -> KnowledgeBase:
    problems: list[Problem] = []

    def load(model: type[M], path: Path) -> M | None:
        try:
            return parse(model, read_yaml(path, root), _display(path, root))
        except LawDataError as exc:
            problems.extend(exc.problems)
            return None

    def load_many(model: type[M], paths: list[Path]) -> list[tuple[Path, M]]:
        out = []
        for p in paths:
            item = load(model, p)
            if item is not None:
                out.append((p, item))
        return out

    vocab_path = root / "vocabulary.yaml"
    try:
        vocabulary = Vocabulary.from_mapping(read_yaml(vocab_path, root))
    except (LawDataError, KeyError, TypeError, AttributeError) as exc:
        problem = Problem(_display(vocab_path, root), f"invalid vocabulary: {exc}")
        raise LawDataError([problem]) from None

    sources = load_many(SourceRegister, _files(root, "sources/*.yaml"))
    instruments = load_many(
        Instrument,
        _files(root, "international/*.yaml")
        + _files(root, "regional/*.yaml")
        + [p for p in _files(root, "domestic/*/*.yaml") if p.name != "profile.yaml"],
    )
    profiles = load_many(Profile, _files(root, "domestic/*/profile.yaml"))
    bilateral = load(BilateralFile, root / "bilateral" / "agreements.yaml")
    offences = load(OffenceTaxonomy, root / "offences.yaml")
    recommendations = load(Recommendations, root / "recommendations.yaml")
    indicator_sets = load_many(IndicatorSet, _files(root, "screening/*.yaml"))
    if problems:
        raise LawDataError(problems)
    assert bilateral and offences and recommendations

    shown: Callable[[Path], str] = lambda p: _display(p, root)  # noqa: E731
    kb = KnowledgeBase.build(
        vocabulary=vocabulary,
        sources=[(shown(p), s) for p, reg in sources for s in reg.sources],
        instruments=[(shown(p), i) for p, i in instruments],
        profiles=[(shown(p), pr) for p, pr in profiles],
        bilateral=bilateral,
        offences=offences,
        recommendations=recommendations,
        indicator_sets=[s for _, s in indicator_sets],
    )
    problems.extend(cross_check(kb))
    if problems:
        raise LawDataError(problems)
    return kb


def _fingerprint(root: Path) -> str:
    h = hashlib.sha256(f"{CACHE_FORMAT}:{root.resolve()}".encode())
    for sub in (root, Path(__file__).parent):
        for p in sorted(sub.rglob("*")):
            if p.suffix in {".yaml", ".py"}:
                st = p.stat()
                h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "npp-navigator"


_MEMO: dict[Path, KnowledgeBase] = {}


def load_knowledge(root: Path | None = None, *, use_cache: bool = True) -> KnowledgeBase:
    """The validated knowledge base; raises :class:`LawDataError` listing every problem."""
    root = (root or default_knowledge_dir()).resolve()
    if root in _MEMO and use_cache:
        return _MEMO[root]
    if not root.is_dir():
        raise LawDataError([Problem(str(root), "knowledge directory not found")])
    cache_file = _cache_dir() / f"kb-{_fingerprint(root)}.pickle" if use_cache else None
    if cache_file is not None and cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                kb = pickle.load(fh)
            if isinstance(kb, KnowledgeBase):
                _MEMO[root] = kb
                return kb
        except Exception:
            pass
    kb = _load_all(root)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache_file)
        except OSError:
            pass  # a read-only home directory only costs speed
    if use_cache:
        _MEMO[root] = kb
    return kb
