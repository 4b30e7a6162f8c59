"""Key discovery: every ``npp`` command that needs the application's keys finds a demo
instance's keys in its data directory (as ``npp serve --demo`` does), or says in one line what
to set; it never creates demo keys unless demo mode is asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NPP = [sys.executable, "-m", "npp.cli.main"]
PASSWORD = "a-long-test-password-for-keys"


def run(
    cwd: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``npp ARGS`` in CWD with no key, no demo flag and no database URL in the environment:
    as a user types it next to ``make run``."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NPP_", "DJANGO_", "DATABASE_URL"))
    }
    clean.update(env)
    return subprocess.run(
        [*NPP, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=clean, timeout=120
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory where a demo instance lives in ./var (migrated with NPP_DEMO=1, as `make run`
    does), with one prosecutor created afterwards WITHOUT NPP_DEMO."""
    cwd = tmp_path_factory.mktemp("demo-instance")
    r = run(cwd, "manage", "migrate", "-v0", NPP_DEMO="1")
    assert r.returncode == 0, r.stderr
    assert (cwd / "var" / "demo-keys.json").is_file()
    r = run(cwd, "user", "org", "th-ago", "--name", "AGO", "--kind", "prosecution",
            "--jurisdiction", "TH")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = run(cwd, "user", "create", "pros", "--role", "prosecutor", "--org", "th-ago",
            stdin=PASSWORD + "\n")  # fmt: skip
    assert r.returncode == 0, r.stderr
    return cwd


def test_commands_use_the_demo_instance_in_the_data_directory(demo_dir: Path) -> None:
    keys = (demo_dir / "var" / "demo-keys.json").read_text()
    token = run(demo_dir, "token", "create", "pros")
    assert token.returncode == 0, token.stderr
    assert len(token.stdout.strip()) == 40
    audit = run(demo_dir, "audit", "verify")
    assert audit.returncode == 0, audit.stderr
    assert audit.stdout.startswith("ok: ") and "entries" in audit.stdout
    export = run(demo_dir, "export", "--format", "htcds", "--out", "cases.csv")
    assert export.returncode == 0, export.stderr
    assert (demo_dir / "cases.csv").read_text().startswith("org_Name")
    backup = run(demo_dir, "backup", "demo.npp")
    assert backup.returncode == 0, backup.stderr
    assert (demo_dir / "demo.npp").read_bytes().startswith(b"NPP-BACKUP/1 ")
    # the same keys, untouched
    assert (demo_dir / "var" / "demo-keys.json").read_text() == keys


def test_a_demo_backup_restores_where_the_demo_keys_are(demo_dir: Path) -> None:
    if not (demo_dir / "demo.npp").exists():
        assert run(demo_dir, "backup", "demo.npp").returncode == 0
    other = demo_dir / "restored"
    other.mkdir()
    (other / "demo-keys.json").write_text((demo_dir / "var" / "demo-keys.json").read_text())
    r = run(demo_dir, "restore", "demo.npp", NPP_DATA_DIR=str(other))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("restored ")


def test_configured_keys_win_over_a_demo_instance(demo_dir: Path) -> None:
    """Production keys given: the demo keys are not used (so this audit chain, written with the
    demo secret, does not verify under another key) and no demo key is printed or created."""
    from cryptography.fernet import Fernet

    r = run(
        demo_dir,
        "audit",
        "verify",
        NPP_SECRET_KEY="p" * 50,
        NPP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    assert r.returncode == 1 and "problem" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("token", "create", "demo-prosecutor"),
        ("audit", "verify"),
        ("export", "--format", "htcds", "--out", "cases.csv"),
        ("backup", "demo.npp"),
        ("serve", "--port", "1"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_without_keys_or_demo_instance_one_line_says_what_to_set(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    r = run(tmp_path, *args)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert "Traceback" not in r.stderr
    for needed in ("NPP_SECRET_KEY", "NPP_ENCRYPTION_KEY", "`npp keys`", "`make run`"):
        assert needed in line, line
    # nothing created: no demo keys for what may be a production data directory
    assert not (tmp_path / "var").exists()
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_no_demo_does_not_use_the_demo_keys(demo_dir: Path) -> None:
    r = run(demo_dir, "audit", "verify", NPP_DEMO="0")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert "NPP_DEMO is off" in r.stderr
