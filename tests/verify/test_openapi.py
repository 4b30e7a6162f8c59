"""schemathesis against the OpenAPI schema (``/api/v1/schema/``) of a real server.

Every operation, every check (enabled in ``schemathesis.toml``; the few exceptions are explained in
``schemathesis.toml``), all four phases (examples, coverage, fuzzing, stateful), with an API
token of a prosecutor whose organisation has a case and a referral (their identifiers are
given to schemathesis, so that operations reach the code behind a found case). Required: 0
failures. Short: 30 examples per operation; full (``NPP_VERIFY=full``): 300.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import FULL, OUT, report, scale

harness = pytest.importorskip("harness")
ST = str(Path(sys.executable).with_name("st"))
CONFIG = Path(__file__).with_name("schemathesis.toml")

# A real deployment on DATABASE_URL's server: PostgreSQL in make pytest-pg.
pytestmark = pytest.mark.database
SEED = """
import scenario
from npp.web.accounts.actions import do_create_token
from npp.web.accounts.models import User
from npp.web.cases.models import Referral
ref = scenario.seed_secrets()
user = User.objects.get(username="secret-officer")
print(ref, Referral.objects.get(case__reference=ref).pk, do_create_token(None, user))
"""


#: Fixed in CI (reproducible); a fresh one in each full run (it is reported; replay a run's
#: with NPP_VERIFY_SEED).
SEED_ = int(os.environ.get("NPP_VERIFY_SEED") or (random.randrange(2**32) if FULL else 7))


@pytest.fixture
def server() -> Iterator[dict[str, Any]]:
    dep = harness.Deployment()
    try:
        dep.migrate()
        ref, referral, key = dep.python(SEED).split()
        dep.start()
        yield {"dep": dep, "ref": ref, "referral": referral, "key": key}
    finally:
        dep.close()


def test_schemathesis_finds_no_failure(server: dict[str, Any], tmp_path: Path) -> None:
    dep = server["dep"]
    env = {**os.environ, "NO_COLOR": "1", "NPP_ST_REFERENCE": server["ref"],
           "NPP_ST_REFERRAL": server["referral"]}  # fmt: skip
    r = subprocess.run(
        [ST, "--config-file", str(CONFIG), "run", f"{dep.base_url}/api/v1/schema/",
         "--header", f"Authorization: Token {server['key']}",
         "--max-examples", str(scale(30, 300)), "--workers", "1", "--seed", str(SEED_),
         "--request-timeout", "60"],
        capture_output=True, text=True, timeout=1800, cwd=tmp_path, env=env,
    )  # fmt: skip
    out = r.stdout + r.stderr
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "schemathesis.txt").write_text(out)
    generated = re.search(r"(\d+) generated", out)
    failures = re.search(r"(\d+) (?:unique )?failures?", out)
    report("schemathesis", {
        "exit": r.returncode,
        "seed": SEED_,
        "test_cases_generated": int(generated.group(1)) if generated else None,
        "failures": int(failures.group(1)) if failures and r.returncode else 0,
        "summary": out[out.rfind("SUMMARY"):][-2500:],
    })  # fmt: skip
    assert r.returncode == 0, out[-8000:]
    assert generated and int(generated.group(1)) > 100, out[-3000:]
