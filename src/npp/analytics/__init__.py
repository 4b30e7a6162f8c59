"""Analytics: pure functions over de-identified Polars frames (issue #5).

- :mod:`npp.analytics.disclosure` — small-cell suppression (threshold ``k``, default 11 as
  in CTDC), complementary suppression and rounding of every published count.
- :mod:`npp.analytics.deidentify` — generalised quasi-identifiers and k-anonymity with a
  report of what was generalised and suppressed.
- :mod:`npp.analytics.measures` — the study's measures for one case (protected, punished
  after being flagged, identified only after charge, days to identification).

HTCDS exchange lives in :mod:`npp.exchange`.

Nothing here touches a database, Django or the network: callers hand in frames or plain
values and get frames or plain values back.
"""
