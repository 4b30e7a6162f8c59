"""Two instances (two data directories, two keys, two SQLite databases) and a regional trust
anchor exchange trust lists, notices and revocations through the ``npp`` command only, as
two states would (contract §5). Exit codes and messages are checked at every step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
NPP = [sys.executable, "-m", "npp.cli.main"]

CREATE_CASE = """
import json, sys
from npp.web import setup; setup()
from npp.web.accounts.models import User
from npp.web.cases.actions import do_create_case
facts = json.load(open("examples/th-raid-minor.json"))
user = User.objects.get(username="officer")
case = do_create_case(user, facts, person={"full_name": "Noy Phommachanh",
    "date_of_birth": "2008-02-14", "document_numbers": "LA-P0123456"})
print(case.reference)
"""


class Instance:
    def __init__(self, root: Path, name: str) -> None:
        self.dir = root / name
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "NPP_DEMO", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            NPP_DATA_DIR=str(self.dir),
            NPP_SECRET_KEY=f"{name}-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            NPP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            NPP_HTTPS="0",
        )

    def run(self, *args: str, stdin: str | None = None, ok: int | None = 0) -> Any:
        r = subprocess.run(
            [*NPP, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=120,
        )
        assert "Traceback" not in r.stderr, r.stderr
        if ok is not None:
            assert r.returncode == ok, (args, r.stdout, r.stderr)
        return r

    def python(self, code: str) -> str:
        r = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("states")
    th, la, region = Instance(root, "th"), Instance(root, "la"), Instance(root, "region")
    th.run(
        "user",
        "org",
        "th-police",
        "--name",
        "Royal Thai Police ATD",
        "--kind",
        "police",
        "--jurisdiction",
        "TH",
    )
    th.run(
        "user",
        "create",
        "officer",
        "--role",
        "frontline",
        "--org",
        "th-police",
        stdin="a-long-test-password\n",
    )
    la.run(
        "user",
        "org",
        "la-police",
        "--name",
        "Lao police",
        "--kind",
        "police",
        "--jurisdiction",
        "LA",
    )
    region.run("trust", "anchor-create", "asean")
    region.run("trust", "anchor-export", "asean", "--out", str(root / "anchor.json"))
    ref = th.python(CREATE_CASE)
    return {"root": root, "th": th, "la": la, "region": region, "case": ref}


def test_two_states_exchange_trust_notices_and_revocations(world: dict[str, Any]) -> None:
    th, la, region, root, ref = (world[k] for k in ("th", "la", "region", "root", "case"))
    issuers, signed, notice, pdf = (
        root / n for n in ("issuers.json", "signed.json", "n.json", "n.pdf")
    )

    # Thailand authorises an issuer and publishes its trust list; the region signs it.
    th.run(
        "notice",
        "issuer",
        "th-police",
        "--role",
        "formal_identification",
        "--contact",
        "ATD hotline 1191",
    )
    th.run("trust", "export", "--out", str(issuers))
    region.run("trust", "sign", str(issuers), "--anchor", "asean", "--out", str(signed))

    # No consent, no notice.
    r = th.run("notice", "issue", ref, "--out", str(notice), "--user", "officer", ok=1)
    assert "consent" in r.stderr and not notice.exists()
    th.run("notice", "consent", ref, "--user", "officer", "--how", "orally, Lao interpreter")
    r = th.run(
        "notice",
        "issue",
        ref,
        "--out",
        str(notice),
        "--pdf",
        str(pdf),
        "--user",
        "officer",
        "--valid-days",
        "120",
    )
    jti = r.stdout.strip()
    doc = json.loads(notice.read_text())
    assert doc["claims"]["jti"] == jti and doc["claims"]["person"]["family_name"] == "Phommachanh"
    assert pdf.read_bytes().startswith(b"%PDF")

    # Lao PDR does not know Thailand's issuer yet.
    r = la.run("notice", "verify", str(notice), ok=1)
    assert "unknown issuer" in r.stdout
    # An unsigned list is refused unless an administrator accepts it; so is one signed by an
    # anchor Lao PDR does not hold.
    r = la.run("trust", "import", str(issuers), ok=1)
    assert "--accept" in r.stderr
    r = la.run("trust", "import", str(signed), ok=1)
    assert "does not hold" in r.stderr
    la.run("trust", "anchor-add", str(root / "anchor.json"))
    r = la.run("trust", "import", str(signed))
    assert "signed by anchor" in r.stdout

    # Verified offline in Lao PDR.
    r = la.run("notice", "verify", str(notice), "--format", "json")
    out = json.loads(r.stdout)
    assert out["valid"] is True and out["reasons"] == []
    assert out["issuer"]["organisation"] == "th-police" and out["claims"]["jti"] == jti

    # The QR code on the PDF carries the same notice.
    qr = _qr_text(pdf)
    assert qr == doc["jws"]
    assert la.run("notice", "verify", "-", stdin=qr).returncode == 0

    # Tampering with the readable copy or the JWS is caught.
    altered = root / "altered.json"
    altered.write_text(json.dumps(dict(doc, claims=dict(doc["claims"], status="formal"))))
    r = la.run("notice", "verify", str(altered), ok=1)
    assert "[altered_claims]" in r.stdout
    h, p, s = doc["jws"].split(".")
    forged = root / "forged.json"
    forged.write_text(json.dumps({"jws": f"{h}.{p}.{s[:-4]}AAAA"}))
    assert "[bad_signature]" in la.run("notice", "verify", str(forged), ok=1).stdout

    # Key rotation: old notices stay valid, after the new list is imported.
    th.run("notice", "rotate-key", "th-police")
    second = root / "n2.json"
    th.run("notice", "issue", ref, "--out", str(second), "--user", "officer")
    la.run("notice", "verify", str(second), ok=1)  # the new key is not known yet
    th.run("trust", "export", "--out", str(issuers))
    region.run("trust", "sign", str(issuers), "--anchor", "asean", "--out", str(signed))
    la.run("trust", "import", str(signed))
    la.run("notice", "verify", str(second))
    la.run("notice", "verify", str(notice))

    # Thailand revokes; Lao PDR learns it from the signed revocation list.
    th.run("notice", "revoke", jti, "--user", "officer", "--reason", "issued in error")
    revocations = root / "r.json"
    th.run("revocations", "export", "--out", str(revocations))
    assert "issued in error" not in revocations.read_text()
    r = la.run("revocations", "import", str(revocations))
    assert "1 new" in r.stdout
    r = la.run("notice", "verify", str(notice), ok=1)
    assert r.stdout.startswith("not valid") and "[revoked]" in r.stdout
    la.run("notice", "verify", str(second))  # the other notice is untouched
    r = th.run("notice", "verify", str(notice), ok=1)
    assert "[revoked]" in r.stdout

    # Thailand's audit log is intact and recorded each step.
    assert th.run("audit", "verify").stdout.startswith("ok")


@pytest.mark.parametrize(
    "content,needle",
    [("{not json", "not JSON"), ("a.b", "three parts"), ("x" * 70_000, "larger than")],
)
def test_unreadable_notices_exit_2_with_one_line(
    world: dict[str, Any], content: str, needle: str, tmp_path: Path
) -> None:
    path = tmp_path / "notice.json"
    path.write_text(content, encoding="utf-8")
    r = world["la"].run("notice", "verify", str(path), ok=2)
    assert r.stdout == "" and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_missing_file_exits_2(world: dict[str, Any]) -> None:
    r = world["la"].run("notice", "verify", "/nonexistent/notice.json", ok=2)
    assert r.stderr.startswith("NOTICE: cannot read")


def test_alg_none_exits_1_with_its_reason(world: dict[str, Any], tmp_path: Path) -> None:
    from npp.notices.jws import b64url_encode, canonical_json

    head = b64url_encode(canonical_json({"alg": "none"}))
    body = b64url_encode(canonical_json({"iss": "th-police", "jur": "TH"}))
    path = tmp_path / "none.json"
    path.write_text(json.dumps({"jws": f"{head}.{body}."}))
    r = world["la"].run("notice", "verify", str(path), ok=1)
    assert "[algorithm_refused]" in r.stdout


def _qr_text(pdf: Path) -> str:
    """Render nothing by hand: take the QR image out of the PDF and decode it (zxing-cpp)."""
    zxingcpp = pytest.importorskip("zxingcpp")
    import io

    from PIL import Image
    from pypdf import PdfReader

    (page,) = PdfReader(io.BytesIO(pdf.read_bytes())).pages
    (image,) = page.images
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    return str(code.text)
