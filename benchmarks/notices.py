"""Identification notices: how large a notice and its QR code are, and how fast verification
runs (the framework-free core, as ``npp notice verify`` and the server use it).

    .venv/bin/python benchmarks/notices.py
"""

from __future__ import annotations

import datetime as dt
import time

import qrcode

from npp.notices.claims import ROLE_FORMAL, PersonClaims, build_claims
from npp.notices.jws import canonical_json, sign_compact
from npp.notices.keys import generate_key
from npp.notices.lists import Issuer, IssuerKey, TrustStore
from npp.notices.verify import verify_notice


def main() -> None:
    now = dt.datetime.now(dt.UTC)
    key = generate_key()
    issuer = Issuer(
        "th-dsdw", "DSDW", "TH", (ROLE_FORMAL,),
        (IssuerKey(key.kid, key.jwk, key.public, now - dt.timedelta(days=1)),),
        now - dt.timedelta(days=1),
    )  # fmt: skip
    # 200 issuers with two keys each: a large regional trust list.
    others = []
    for n in range(199):
        k = generate_key()
        ik = IssuerKey(k.kid, k.jwk, k.public, now - dt.timedelta(days=1))
        others.append(Issuer(f"org-{n}", "x", "LA", (ROLE_FORMAL,), (ik, ik), ik.not_before))
    store = TrustStore([issuer, *others])
    claims = build_claims(
        iss="th-dsdw", jur="TH", status="formal", identified_on=now.date(),
        person=PersonClaims("Thi Mai", "Nguyen-Tran", "2007-02-14", "VN", "C01234567"),
        now=now, valid_days=180, exploitation=["sexual_exploitation", "forced_labour"],
        contact="Department of Social Development and Welfare, hotline 1300",
    )  # fmt: skip
    jws = sign_compact(
        {"kid": key.kid, "typ": "JWT"}, canonical_json(claims.as_dict()), key.private
    )
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(jws)
    qr.make(fit=True)
    print(f"notice (JWS): {len(jws)} characters; QR code version {qr.version} "
          f"({qr.modules_count}x{qr.modules_count} modules, error correction M)")  # fmt: skip
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        assert verify_notice(jws, store, {}, now).valid
    per = (time.perf_counter() - start) / n
    print(f"verification: {per * 1e6:.0f} µs per notice ({1 / per:.0f}/s) against "
          f"{len(store.issuers)} issuers")  # fmt: skip


if __name__ == "__main__":
    main()
