"""What the command modules share (npp.cli.common): one way to report problems, one way to
set Django up, and imports that flow one way (main assembles, modules import common)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import npp.cli

CLI = Path(npp.cli.__file__).parent


def _npp_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("npp.cli"):
            found |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("npp.cli")}
    return found


@pytest.mark.parametrize(
    "module", sorted(p.name for p in CLI.glob("*.py") if p.name != "main.py"), ids=str
)
def test_no_command_module_imports_main(module: str) -> None:
    assert not {m for m in _npp_imports(CLI / module) if m.startswith("npp.cli.main")}


def test_common_imports_no_command_module() -> None:
    assert _npp_imports(CLI / "common.py") == set()


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "verify"),
        ("export", "--format", "htcds", "--out", "cases.csv"),
        ("monitor", "rebuild"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
@pytest.mark.database  # the commands get this run's DATABASE_URL, as an operator's shell gives it
def test_database_commands_report_bad_configuration_alike(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NPP_", "DJANGO_"))}
    env.update({"NPP_DATA_DIR": str(tmp_path), "NPP_DEMO": "0"})
    r = subprocess.run(
        [sys.executable, "-m", "npp.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("configuration: "), r.stderr
    assert "NPP_SECRET_KEY" in lines[0]
