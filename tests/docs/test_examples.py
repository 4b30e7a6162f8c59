"""Documentation that cannot drift: every shell example in README.md and docs/*.md runs here.

The convention (docs/development.md, "Examples in the documentation"):

- Fenced ```` ```sh ```` blocks are executed; ```` ```console ```` (and any other) blocks are only
  shown. A file's ``sh`` blocks run in order, each in its own ``bash -euo pipefail``, so a
  block must exit 0 (an expected failure is written ``npp x || test $? -eq 2``). Blocks of one
  file share their working directory (files written by one block are there for the next), not
  shell variables.
- Each file gets a fresh temporary directory holding symlinks to the repository's ``.venv``,
  ``examples`` and ``knowledge``, and ``./var``: a fresh demo instance (SQLite, demo keys, demo
  data with ``NPP_DEMO_CASES`` cases), copied from ONE template built per test session.
  ``PATH`` starts with ``.venv/bin``. The environment holds no ``NPP_DEMO``, no key and no
  ``DATABASE_URL`` (the examples show the SQLite demo instance a reader gets from
  ``make run``; so the PostgreSQL run, which repeats only tests marked ``database``, leaves
  these out), so ``npp`` finds the demo keys as it does next to ``make run``.
- A file that mentions ``http://127.0.0.1:8000`` talks to a demo server started once per test
  session (per xdist worker) on a free port, which replaces 8000 in its blocks; its ``./var``
  is then that server's instance (shared by such files, so a token created in a block is
  accepted by the server).

A failing block is reported with its file, the line of its opening fence and its output.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINKED = (".venv", "examples", "knowledge")
SERVER_URL = "http://127.0.0.1:8000"
DEMO_CASES = "300"
BLOCK_TIMEOUT = 300  # a safety net on a loaded machine; blocks are meant to take seconds
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, counted from 1
    info: str
    text: str

    @property
    def where(self) -> str:
        name = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{name}:{self.line}"


def fences(lines: list[str]) -> list[tuple[int, int, int, str]]:
    """(first, last, indent, info) of each fenced block, as 0-based line numbers of its fences;
    a block runs to a closing fence of the same character, at least as long, and nothing else
    (or to the end of the file)."""
    spans = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start = m["fence"], i
        i += 1
        while i < len(lines):
            closing = lines[i].strip()
            if closing.startswith(fence) and not closing.strip(fence[0]):
                break
            i += 1
        spans.append((start, i, len(m["indent"]), m["info"].lower()))
        i += 1
    return spans


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with its info string (``sh``, ``console``, ...)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for start, end, indent, info in fences(lines):
        body = [ln[indent:] if not ln[:indent].strip() else ln for ln in lines[start + 1 : end]]
        blocks.append(Block(path, start + 1, info, "\n".join(body) + "\n"))
    return blocks


def prose(path: Path) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) of every line outside fenced blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    inside = {n for start, end, _, _ in fences(lines) for n in range(start, end + 1)}
    for n, line in enumerate(lines):
        if n not in inside:
            yield n + 1, line


def sh_blocks(path: Path) -> list[Block]:
    return [b for b in fenced_blocks(path) if b.info == "sh"]


FILES = [p for p in DOCS if sh_blocks(p)]


def clean_env(root: Path) -> dict[str, str]:
    """The reader's environment: nothing of ours, ``.venv/bin`` first on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NPP_", "DJANGO_", "DATABASE_URL", "VIRTUAL_ENV", "PYTHON"))
    }
    env["PATH"] = f"{root / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["NPP_DEMO_CASES"] = DEMO_CASES
    env["COLUMNS"] = "100"  # Rich tables: the same width on every host
    return env


def link_repository(root: Path) -> None:
    for name in LINKED:
        (root / name).symlink_to(ROOT / name)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ONE demo instance for the whole run (shared by xdist workers through a lock): migrated,
    demo keys, demo data. Each file gets a copy of its ``var``."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "docs-template"
    with (shared / "docs-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "ready").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            link_repository(root)
            env = clean_env(root) | {"NPP_DEMO": "1"}  # as `make run`: demo mode asked for
            r = subprocess.run(
                ["npp", "demo", "load", "--cases", DEMO_CASES],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert r.returncode == 0, f"building the demo instance failed:\n{r.stdout}{r.stderr}"
            (root / "ready").touch()
    return root / "var"


def copy_instance(template: Path, dest: Path) -> None:
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("*.sqlite3-shm"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def demo_server(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A demo server (``npp serve``, found demo keys, no flag) on a free port; yields its root
    directory, whose ``port`` file holds the port."""
    root = tmp_path_factory.mktemp("docs-server")
    link_repository(root)
    copy_instance(template, root / "var")
    port = free_port()
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        ["npp", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--threads", "4", "--no-migrate"],
        cwd=root, env=clean_env(root), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the demo server did not start:\n{(root / 'server.log').read_text()}")
            time.sleep(0.2)
        (root / "port").write_text(str(port))
        yield root
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        log.close()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_shell_examples_run(path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    blocks = sh_blocks(path)
    link_repository(tmp_path)
    uses_server = any(SERVER_URL in b.text for b in blocks)
    port = None
    if uses_server:
        server: Path = request.getfixturevalue("demo_server")
        port = (server / "port").read_text()
        (tmp_path / "var").symlink_to(server / "var")
    else:
        copy_instance(request.getfixturevalue("template"), tmp_path / "var")
    failure = run_blocks(blocks, tmp_path, clean_env(tmp_path), port)
    if failure:
        pytest.fail(failure, pytrace=False)


def run_blocks(blocks: list[Block], cwd: Path, env: dict[str, str], port: str | None) -> str:
    """Run the blocks in order in CWD; stop at the first that fails and say where and why
    (the empty string when all pass)."""
    for block in blocks:
        script = block.text
        if port is not None:
            script = script.replace(SERVER_URL, f"http://127.0.0.1:{port}")
        try:
            r = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                timeout=BLOCK_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            out = exc.output or b""
            out = out.decode(errors="replace") if isinstance(out, bytes) else out
            return (
                f"{block.where}: the block ran over {BLOCK_TIMEOUT} s\n--- block\n{script}"
                f"--- output\n{out}"
            )
        if r.returncode != 0:
            return (
                f"{block.where}: the block exited {r.returncode}\n--- block\n{script}"
                f"--- output\n{r.stdout}"
            )
    return ""


def test_a_failing_block_is_reported_with_its_file_line_and_output(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text(
        "# x\n\n```sh\necho one > one.txt\n```\n\n```sh\ncat one.txt\n"
        "echo 'it went wrong' >&2\nfalse\necho never\n```\n\n```sh\ntouch not-reached\n```\n"
    )
    failure = run_blocks(sh_blocks(md), tmp_path, clean_env(tmp_path), None)
    assert failure.startswith(f"{md}:7: the block exited 1"), failure
    assert "one\nit went wrong\n" in failure and "never\n" not in failure.split("--- output")[1]
    assert not (tmp_path / "not-reached").exists()


def test_there_are_examples_to_run() -> None:
    """The collector finds the README's and the reference's examples (not vacuous)."""
    assert (ROOT / "README.md") in FILES
    assert sum(len(sh_blocks(p)) for p in FILES) >= 20
    first = fenced_blocks(ROOT / "README.md")[0]
    assert first.info == "console" and "make run" in first.text and "make test" in first.text


def test_the_collector_reads_fences_as_markdown_does(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text(
        "# t\n\n```sh\necho one\n```\n\ntext\n\n```console\n$ make run\n```\n\n"
        "- item\n\n  ```sh\n  echo two\n  ```\n\n````markdown\n```sh\nnot run\n```\n````\n"
    )
    blocks = fenced_blocks(md)
    assert [(b.info, b.line) for b in blocks] == [
        ("sh", 3), ("console", 9), ("sh", 15), ("markdown", 19)
    ]  # fmt: skip
    assert blocks[2].text == "echo two\n"
    assert blocks[3].text == "```sh\nnot run\n```\n"


# --------------------------------------------------------------------------- links

LINK = re.compile(
    r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)|<a href=\"(?P<href>[^\"]+)\""
)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in prose(path):
        if not re.match(r"^#{1,6} ", line):
            continue
        base = slug(line.lstrip("#"))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path) -> Iterator[tuple[int, str]]:
    for n, line in prose(path):
        for m in LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            yield n, m["target"] or m["href"]


def test_every_relative_link_resolves() -> None:
    broken = []
    for path in DOCS:
        for line, target in links(path):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            file, _, fragment = target.partition("#")
            dest = (path.parent / file).resolve() if file else path
            if not dest.exists():
                broken.append(f"{path.relative_to(ROOT)}:{line}: {target}: no such file")
            elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                broken.append(f"{path.relative_to(ROOT)}:{line}: {target}: no such heading")
    assert not broken, "\n".join(broken)


def test_the_index_lists_every_reference_page() -> None:
    index = ROOT / "docs" / "README.md"
    listed = {(index.parent / t.partition("#")[0]).resolve() for _, t in links(index)}
    missing = [p.name for p in DOCS[1:] if p != index and p.resolve() not in listed]
    assert not missing, f"docs/README.md does not link: {', '.join(missing)}"
