"""A throwaway NPP Navigator deployment for load, crash and backup checks.

Each :class:`Deployment` has its own keys, its own database — a SQLite file in a temporary
directory, or, when ``DATABASE_URL`` names a PostgreSQL server, a new database created on it
(and dropped afterwards) — and runs the real server (``npp serve``: gunicorn) on a free port of
127.0.0.1. Nothing here talks to any other address.

Scripts that use it run as their own processes: :meth:`Deployment.django` configures Django in
the calling process for this deployment (for preparing data and checking it afterwards).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
NPP = str(Path(sys.executable).with_name("npp"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


class Deployment:
    def __init__(self, database_url: str | None = None, *, keep: bool = False) -> None:
        from cryptography.fernet import Fernet

        self.dir = Path(tempfile.mkdtemp(prefix="npp-verify-"))
        self.keep = keep
        base = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
        self.pg_admin_url: str | None = None
        if base.startswith(("postgres://", "postgresql://")):
            self.db_name = f"npp_verify_{secrets.token_hex(4)}"
            _pg_admin(base, f'CREATE DATABASE "{self.db_name}"')
            self.pg_admin_url = base
            parts = urlsplit(base)
            self.database_url = urlunsplit(parts._replace(path=f"/{self.db_name}"))
        else:
            self.db_name = str(self.dir / "npp.sqlite3")
            self.database_url = f"sqlite:///{self.db_name}"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NPP_", "DJANGO_")) and k != "DATABASE_URL"
        }
        self.env.update(
            NPP_SECRET_KEY=secrets.token_urlsafe(50),
            NPP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            NPP_DATA_DIR=str(self.dir),
            NPP_HTTPS="0",  # plain HTTP on loopback; everything else as in production
            NPP_ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.database_url,
        )
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log = self.dir / "server.log"

    @property
    def vendor(self) -> str:
        return "postgresql" if self.pg_admin_url else "sqlite"

    # ------------------------------------------------------------------ commands

    def npp(self, *args: str, input: str | None = None, check: bool = True,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
        """Run ``npp ARGS`` against this deployment."""
        r = subprocess.run(
            [NPP, *args], input=input, capture_output=True, text=True, timeout=600,
            env={**self.env, **(env or {})}, cwd=ROOT,
        )  # fmt: skip
        if check and r.returncode != 0:
            raise RuntimeError(f"npp {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
        return r

    def python(self, code: str) -> str:
        """Run Python with Django set up for this deployment (``benchmarks/`` importable);
        returns its standard output."""
        prelude = (
            f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            "from npp.web import setup; setup()\n"
        )
        r = subprocess.run(
            [sys.executable, "-c", prelude + code], capture_output=True, text=True,
            timeout=600, env={**self.env, "DJANGO_SETTINGS_MODULE": "npp.web.settings"},
            cwd=ROOT,
        )  # fmt: skip
        if r.returncode != 0:
            raise RuntimeError(f"python exited {r.returncode}: {r.stderr[-3000:]}")
        return r.stdout

    def clone(self) -> Deployment:
        """A copy of this deployment's database (and keys), for a destructive experiment."""
        copy = Deployment.__new__(Deployment)
        copy.__dict__.update(self.__dict__)
        copy.dir = Path(tempfile.mkdtemp(prefix="npp-verify-"))
        copy.server, copy.port, copy.log = None, 0, copy.dir / "server.log"
        if self.pg_admin_url:
            copy.db_name = f"npp_verify_{secrets.token_hex(4)}"
            _pg_admin(self.pg_admin_url,
                      f'CREATE DATABASE "{copy.db_name}" TEMPLATE "{self.db_name}"')  # fmt: skip
            parts = urlsplit(self.database_url)
            copy.database_url = urlunsplit(parts._replace(path=f"/{copy.db_name}"))
        else:
            copy.db_name = str(copy.dir / "npp.sqlite3")
            copy.database_url = f"sqlite:///{copy.db_name}"
            import sqlite3

            with sqlite3.connect(self.db_name) as src, sqlite3.connect(copy.db_name) as dst:
                src.backup(dst)
        copy.env = {**self.env, "NPP_DATA_DIR": str(copy.dir), "DATABASE_URL": copy.database_url}
        return copy

    def sql(self, statements: list[tuple[str, list[Any]]]) -> None:
        """Run raw SQL as someone with direct access to the database would (on PostgreSQL as
        a superuser who switches triggers off: the audit table refuses changes otherwise)."""
        if self.pg_admin_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                conn.execute("SET session_replication_role = replica")
                for sql, params in statements:
                    conn.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
        else:
            import sqlite3

            with sqlite3.connect(self.db_name) as conn:
                for sql, params in statements:
                    conn.execute(sql, params)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        if self.pg_admin_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql.replace("?", "%s"), params or []).fetchall()  # type: ignore[arg-type]
        import sqlite3

        with sqlite3.connect(self.db_name) as conn:
            return conn.execute(sql, params or []).fetchall()

    def raw_dump(self) -> str:
        """The database as its own dump tool writes it (``sqlite3 .dump`` / ``pg_dump``)."""
        if self.pg_admin_url:
            r = subprocess.run(["pg_dump", "--no-owner", self.database_url],
                               capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
            return r.stdout
        if shutil.which("sqlite3"):
            r = subprocess.run(["sqlite3", self.db_name, ".dump"], capture_output=True,
                               text=True, timeout=300, check=True)  # fmt: skip
            return r.stdout
        import sqlite3  # the same SQL text, from Python's own implementation of .dump

        with sqlite3.connect(self.db_name) as conn:
            return "\n".join(conn.iterdump())

    def migrate(self) -> None:
        self.npp("manage", "migrate", "-v", "0")

    def django(self) -> None:
        """Configure Django in this process for this deployment (once per process)."""
        os.environ.update(self.env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npp.web.settings")
        from npp.web import setup

        setup()

    # ------------------------------------------------------------------ the server

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workers: int = 2, threads: int = 4, timeout: float = 60) -> None:
        self.port = free_port()
        log = self.log.open("ab")
        self.server = subprocess.Popen(
            [NPP, "serve", "--no-demo", "--no-migrate", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--threads", str(threads)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )  # fmt: skip
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the server did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the server and all its workers at once (a crash, not a shutdown)."""
        if self.server is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=30)
        self.server = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM: gunicorn finishes the requests in flight)."""
        if self.server is None:
            return
        try:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self.server = None

    def close(self) -> None:
        self.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if self.pg_admin_url and not self.keep:
            _pg_admin(self.pg_admin_url, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Deployment:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]
