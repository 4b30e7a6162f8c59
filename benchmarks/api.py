"""Benchmark of the assessment API (contract §4) against a trivial endpoint on the same server.

    .venv/bin/python benchmarks/api.py [--seconds 10] [--concurrency 32] [--workers 2 --threads 4]

Starts the real server (``npp serve``: gunicorn, production settings except plain HTTP on
loopback) on a fresh SQLite database (or ``DATABASE_URL``), creates a user and an API token,
then drives both endpoints with token authentication from ``--concurrency`` keep-alive
connections (one asyncio process, raw HTTP/1.1) for a fixed time each:

* ``POST /api/v1/assessments`` with ``examples/th-raid-minor.json`` (a ~40 kB assessment);
* ``GET /api/v1/me`` — trivial: the same authentication, DRF view and JSON rendering.

Prints requests per second for each, their ratio (target >= 0.6) and latency percentiles.
Every request goes to 127.0.0.1 only; the run is bounded in time and request count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NPP = str(Path(sys.executable).with_name("npp"))
FACTS = (ROOT / "examples" / "th-raid-minor.json").read_bytes()
MAX_REQUESTS = 200_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data_dir: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith("NPP_")}
    env.update(
        NPP_SECRET_KEY=secrets.token_urlsafe(50),
        NPP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        NPP_DATA_DIR=data_dir,
        NPP_HTTPS="0",  # loopback without TLS; everything else as in production
        NPP_ALLOWED_HOSTS="127.0.0.1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def prepare(env: dict[str, str]) -> str:
    """Migrate, create an organisation and a prosecutor, return a fresh API key."""
    subprocess.run([NPP, "manage", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [NPP, "user", "org", "th-bench", "--name", "Benchmark prosecution", "--kind", "prosecution",
         "--jurisdiction", "TH"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [NPP, "user", "create", "bench", "--role", "prosecutor", "--org", "th-bench"],
        input="a-long-benchmark-password\n", text=True, env=env, check=True, capture_output=True,
    )  # fmt: skip
    out = subprocess.run(
        [NPP, "token", "create", "bench"], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def start(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [NPP, "serve", "--no-demo", "--no-migrate", "--port", str(port),
         "--workers", str(workers), "--threads", str(threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    err = proc.stderr.read().decode() if proc.stderr else ""
    raise SystemExit(f"the server did not start: {err}")


def request_bytes(method: str, path: str, key: str, body: bytes = b"") -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {key}\r\n"
        "Accept: application/json\r\nConnection: keep-alive\r\n"
    )
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def one_connection(
    port: int, payload: bytes, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at and len(latencies) < MAX_REQUESTS:
            t0 = time.perf_counter()
            writer.write(payload)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:  # the server closed the connection: reconnect
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            code = int(status_line.split()[1])
            if code != 200:
                errors.append(code)
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def load(
    port: int, payload: bytes, seconds: float, concurrency: int, latencies: list[float]
) -> tuple[float, int]:
    """Drive one endpoint for ``seconds``; append latencies; return (elapsed, errors)."""
    errors: list[int] = []
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(
        *(one_connection(port, payload, stop_at, latencies, errors) for _ in range(concurrency))
    )
    return time.perf_counter() - start, len(errors)


def summarise(latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="per endpoint, in all")
    ap.add_argument("--rounds", type=int, default=5, help="alternate the endpoints this often")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="npp-bench-") as data_dir:
        env = environment(data_dir)
        key = prepare(env)
        port = free_port()
        server = start(env, port, args.workers, args.threads)
        try:
            assess = request_bytes("POST", "/api/v1/assessments", key, FACTS)
            trivial = request_bytes("GET", "/api/v1/me", key)
            payloads = {"trivial": trivial, "assessment": assess}
            lat: dict[str, list[float]] = {k: [] for k in payloads}
            elapsed = dict.fromkeys(payloads, 0.0)
            errs = dict.fromkeys(payloads, 0)
            for payload in payloads.values():  # warm up both
                asyncio.run(load(port, payload, args.warmup, args.concurrency, []))
            # Alternate short rounds so that a change in the machine's load hits both alike.
            for _ in range(args.rounds):
                for name, payload in payloads.items():
                    t, e = asyncio.run(
                        load(port, payload, args.seconds / args.rounds, args.concurrency, lat[name])
                    )
                    elapsed[name] += t
                    errs[name] += e
            results = {k: summarise(lat[k], elapsed[k], errs[k]) for k in payloads}
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    ratio = results["assessment"]["rps"] / results["trivial"]["rps"]
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    summary = {
        "server": f"gunicorn gthread, {args.workers} workers x {args.threads} threads, {db}",
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        **{f"{k}_{m}": round(v, 2) for k, r in results.items() for m, v in r.items()},
        "ratio": round(ratio, 3),
        "target_ratio": 0.6,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{summary['server']}; {args.concurrency} concurrent keep-alive clients;")
    print(f"{args.seconds:g} s per endpoint in {args.rounds} alternating rounds on 127.0.0.1")
    print(f"{'endpoint':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, path in (("trivial", "GET /api/v1/me"), ("assessment", "POST /api/v1/assessments")):
        r = results[name]
        print(f"{path:<28}{r['rps']:>9.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['errors']:>8}")  # fmt: skip
    verdict = "meets" if ratio >= 0.6 else "MISSES"
    print(f"ratio assessment/trivial: {ratio:.2f} ({verdict} the 0.6 target)")


if __name__ == "__main__":
    main()
