"""PDF tests: the web fixtures (reused, not copied) and a host with no fonts at all."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from processes import without_database
from web.conftest import case as case
from web.conftest import facts, officer, org_factory, police, user_factory  # noqa: F401


@pytest.fixture(scope="session")
def empty_fontconfig(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment in which fontconfig knows no font at all (as on a bare server)."""
    folder = tmp_path_factory.mktemp("no-fonts")
    conf = folder / "fonts.conf"
    conf.write_text("<fontconfig></fontconfig>\n", encoding="utf-8")
    env = without_database(FONTCONFIG_FILE=str(conf), XDG_CACHE_HOME=str(folder / "cache"))
    if shutil.which("fc-list"):  # prove the premise where the tool is there to ask
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == "", listed.stdout
    return env
