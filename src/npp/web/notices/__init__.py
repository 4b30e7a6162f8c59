"""Identification notices (contract §5) in the web application: issuers and their signing
keys, consent, issued and attached notices, trust anchors, trusted issuers and revocations.

The cryptography and the rules of verification live in :mod:`npp.notices` (no Django);
this app stores keys encrypted, writes only through :mod:`.actions` (each write audited in
its own transaction) and serves ``/verify/``, usable signed-out and offline.
"""
