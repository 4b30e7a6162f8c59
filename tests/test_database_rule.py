"""The rule that lets the PostgreSQL run skip tests (tests/conftest.py) is in force: a test not
marked ``database`` sees no database, and may not start a process that could find one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import NO_DATABASE
from processes import without_database


def test_a_database_free_test_sees_no_database_url() -> None:
    import os

    assert os.environ["DATABASE_URL"] == NO_DATABASE


def test_a_database_free_test_may_not_start_a_process_with_its_environment() -> None:
    with pytest.raises(pytest.fail.Exception, match="not marked `database`"):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    with pytest.raises(pytest.fail.Exception, match="not marked `database`"):
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=without_database(
            DATABASE_URL="sqlite:///x"))  # fmt: skip


def test_a_process_without_database_url_may_run() -> None:
    code = "import os; assert 'DATABASE_URL' not in os.environ"
    subprocess.run([sys.executable, "-c", code], check=True, env=without_database())


@pytest.mark.database
def test_a_database_test_keeps_the_run_s_database_url() -> None:
    import os

    assert os.environ.get("DATABASE_URL") != NO_DATABASE
