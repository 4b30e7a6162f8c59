"""The loaded knowledge base and its lookups ("the law of state X in force on date D").

Lookups are plain dictionary reads prepared once in :meth:`KnowledgeBase.build`, so the
assessment engine can ask thousands of questions per second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from npp.errors import NotFound, Problem
from npp.law.model import (
    BilateralAgreement,
    BilateralFile,
    Evidence,
    Indicator,
    IndicatorSet,
    Instrument,
    OffenceCategory,
    OffenceTaxonomy,
    Penalty,
    PenaltyExemption,
    Profile,
    Provision,
    Recommendation,
    Recommendations,
    Source,
)


@dataclass(frozen=True)
class Vocabulary:
    """The shared codes (``knowledge/vocabulary.yaml``, a copy of the contract's)."""

    jurisdictions: dict[str, str]
    stages: dict[str, str]
    provision_models: dict[str, str]
    offence_typologies: dict[str, str]
    offence_categories: dict[str, str]
    trafficking_acts: tuple[str, ...]
    trafficking_means: tuple[str, ...]
    exploitation_purposes: tuple[str, ...]
    victim_status: dict[str, str]
    protection_outcomes: dict[str, str]
    risk_flags: dict[str, str]

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Vocabulary:
        def d(key: str) -> dict[str, str]:
            return {str(k): str(v) for k, v in raw[key].items()}

        return cls(
            jurisdictions=d("jurisdictions"),
            stages=d("stages"),
            provision_models=d("provision_models"),
            offence_typologies=d("offence_typologies"),
            offence_categories=d("offence_categories"),
            trafficking_acts=tuple(raw["trafficking_acts"]),
            trafficking_means=tuple(raw["trafficking_means"]),
            exploitation_purposes=tuple(raw["exploitation_purposes"]),
            victim_status=d("victim_status"),
            protection_outcomes=d("protection_outcomes"),
            risk_flags=d("risk_flags"),
        )

    def stage_index(self, stage: str) -> int:
        return list(self.stages).index(stage)


@dataclass(frozen=True)
class Citation:
    """A resolved reference: what a statement of the tool rests on."""

    id: str
    instrument: str
    provision: str | None
    text: str | None
    text_status: str | None
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    verified: bool
    confidence: str
    sources: tuple[str, ...]
    source_titles: tuple[str, ...]

    def label(self) -> str:
        where = f", {self.provision}" if self.provision else ""
        mark = "" if self.verified else " [not verified]"
        return f"{self.instrument}{where}{mark}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "instrument": self.instrument,
            "provision": self.provision,
            "text": self.text,
            "text_status": self.text_status,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "in_force_to": self.in_force_to.isoformat() if self.in_force_to else None,
            "verified": self.verified,
            "confidence": self.confidence,
            "source": "; ".join(self.source_titles),
            "sources": list(self.sources),
        }


def section_label(instrument: Instrument, provision: Provision) -> str | None:
    """How a provision is cited: "Art. 14" or "s. 41", as the instrument numbers its
    provisions (its ``provision_label``; treaties and the like number articles)."""
    if provision.section is None:
        return provision.heading or "section not verified"
    word = "s." if instrument.provision_label == "section" else "Art."
    return f"{word} {provision.section}"


@dataclass
class KnowledgeBase:
    """Every validated record, indexed for the questions the engine asks."""

    vocabulary: Vocabulary
    sources: dict[str, Source]
    instruments: dict[str, Instrument]
    provisions: dict[str, tuple[Instrument, Provision]]
    profiles: dict[str, Profile]
    bilateral: BilateralFile
    offences: dict[str, OffenceCategory]
    taxonomy: OffenceTaxonomy
    recommendations: dict[int, Recommendation]
    indicator_sets: dict[str, IndicatorSet]
    indicators: dict[str, tuple[IndicatorSet, Indicator]]
    files: dict[str, str] = field(default_factory=dict)  # record id -> file it came from
    duplicate_ids: list[Problem] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        vocabulary: Vocabulary,
        sources: list[tuple[str, Source]],
        instruments: list[tuple[str, Instrument]],
        profiles: list[tuple[str, Profile]],
        bilateral: BilateralFile,
        offences: OffenceTaxonomy,
        recommendations: Recommendations,
        indicator_sets: list[IndicatorSet],
    ) -> KnowledgeBase:
        dupes: list[Problem] = []
        files: dict[str, str] = {}

        def put(index: dict[Any, Any], key: Any, value: Any, shown: str, what: str) -> None:
            if key in index:
                dupes.append(
                    Problem(shown, f"{what} id {key!r} is also defined in {files.get(key, '?')}")
                )
                return
            index[key] = value
            files[key] = shown

        src: dict[str, Source] = {}
        for shown, source in sources:
            put(src, source.id, source, shown, "source")
        ins: dict[str, Instrument] = {}
        prov: dict[str, tuple[Instrument, Provision]] = {}
        for shown, i in instruments:
            put(ins, i.id, i, shown, "instrument")
            for p in i.provisions:
                put(prov, p.id, (i, p), shown, "provision")
        prof: dict[str, Profile] = {}
        for shown, pr in profiles:
            put(prof, pr.jurisdiction, pr, shown, "profile for")
        indicators: dict[str, tuple[IndicatorSet, Indicator]] = {}
        for iset in indicator_sets:
            for ind in iset.indicators:
                put(indicators, ind.code, (iset, ind), f"screening/{iset.id}", "indicator")
        return cls(
            vocabulary=vocabulary,
            sources=src,
            instruments=ins,
            provisions=prov,
            profiles=prof,
            bilateral=bilateral,
            offences={o.code: o for o in offences.categories},
            taxonomy=offences,
            recommendations={r.number: r for r in recommendations.recommendations},
            indicator_sets={iset.id: iset for iset in indicator_sets},
            indicators=indicators,
            files=files,
            duplicate_ids=dupes,
        )

    # ----------------------------------------------------------------- dated lookups

    def domestic_instruments(self, cc: str, day: dt.date | None = None) -> list[Instrument]:
        """Instruments of state ``cc`` (in force on ``day`` when given), oldest first."""
        out = [
            i
            for i in self.instruments.values()
            if i.jurisdiction == cc and (day is None or i.in_force_on(day))
        ]
        return sorted(out, key=lambda i: (i.in_force_from or dt.date.min, i.id))

    def non_punishment_provisions(
        self, cc: str, day: dt.date
    ) -> list[tuple[Instrument, Provision]]:
        """Non-punishment provisions of ``cc`` in force on ``day``; the primary one first."""
        out = [
            (i, p)
            for i in self.domestic_instruments(cc, day)
            for p in i.provisions
            if p.non_punishment is not None and p.in_force_on(day)
        ]
        return sorted(out, key=lambda ip: ip[1].non_punishment.role != "primary")  # type: ignore[union-attr]

    def primary_provision(self, cc: str, day: dt.date) -> tuple[Instrument, Provision] | None:
        for i, p in self.non_punishment_provisions(cc, day):
            if p.non_punishment is not None and p.non_punishment.role == "primary":
                return i, p
        return None

    def penalties(self, cc: str, offence: str, day: dt.date) -> list[Penalty]:
        prof = self.profiles.get(cc)
        if prof is None:
            return []
        return [
            p
            for p in prof.penalties
            if (p.offence == offence or offence in p.also) and p.in_force_on(day)
        ]

    def exemptions(
        self, cc: str, offence: str, day: dt.date, now: dt.date
    ) -> list[tuple[int, PenaltyExemption]]:
        """(index, rule) of every penalty exemption that reaches ``offence`` committed on
        ``day``, as the law stands ``now``: in force on the offence date, or in force now and
        applied to earlier offences (a later, more lenient law; a rule on carrying out a
        sentence)."""
        prof = self.profiles.get(cc)
        if prof is None:
            return []
        return [
            (n, x)
            for n, x in enumerate(prof.penalty_exemptions)
            if x.reaches(offence)
            and (x.in_force_on(day) or (x.applies_to_earlier_offences and x.in_force_on(now)))
        ]

    def bilateral_between(self, a: str, b: str) -> list[BilateralAgreement]:
        return [
            ag for ag in self.bilateral.agreements if a in ag.parties and b in ag.parties and a != b
        ]

    def recommendations_for(self, stage: str) -> list[Recommendation]:
        return [r for r in self.recommendations.values() if r.stage == stage]

    def profile(self, cc: str) -> Profile:
        try:
            return self.profiles[cc]
        except KeyError:
            raise NotFound(f"no profile for jurisdiction {cc!r}") from None

    # ----------------------------------------------------------------- citations

    def _source_titles(self, ev: Evidence) -> tuple[str, ...]:
        return tuple(f"{s} {self.sources[s].title}" if s in self.sources else s for s in ev.sources)

    def cite(self, cid: str) -> Citation:
        """Resolve a provision, instrument or source id to a :class:`Citation`."""
        if cid in self.provisions:
            ins, p = self.provisions[cid]
            return Citation(
                id=cid,
                instrument=ins.title,
                provision=section_label(ins, p),
                text=p.text,
                text_status=p.text_status.value,
                in_force_from=p.in_force_from or ins.in_force_from,
                in_force_to=p.in_force_to or ins.in_force_to,
                verified=p.evidence.verified,
                confidence=p.evidence.confidence.value,
                sources=tuple(p.evidence.sources),
                source_titles=self._source_titles(p.evidence),
            )
        if cid in self.instruments:
            ins = self.instruments[cid]
            return Citation(
                id=cid,
                instrument=ins.title,
                provision=None,
                text=ins.requires,
                text_status="paraphrase",
                in_force_from=ins.in_force_from,
                in_force_to=ins.in_force_to,
                verified=ins.evidence.verified,
                confidence=ins.evidence.confidence.value,
                sources=tuple(ins.evidence.sources),
                source_titles=self._source_titles(ins.evidence),
            )
        fact = self._profile_fact(cid)
        if fact is not None:
            return fact
        if cid in self.sources:
            s = self.sources[cid]
            return Citation(
                id=cid,
                instrument=s.title,
                provision=None,
                text=s.note,
                text_status=None,
                in_force_from=None,
                in_force_to=None,
                verified=s.kind in {"study", "primary_text", "official"},
                confidence="H" if s.kind in {"study", "primary_text", "official"} else "M",
                sources=(cid,),
                source_titles=(f"{cid} {s.title}" + (f" <{s.url}>" if s.url else ""),),
            )
        raise NotFound(f"no provision, instrument or source with id {cid!r}")

    def _profile_fact(self, cid: str) -> Citation | None:
        """Resolve ids of facts in a state's profile, e.g. ``my.profile.defence.0``,
        ``id.profile.penalty.3``, ``th.profile.age``, ``sg.profile.death_penalty``."""
        parts = cid.split(".")
        if len(parts) < 3 or parts[1] != "profile":
            return None
        prof = self.profiles.get(parts[0].upper())
        if prof is None:
            return None
        kind, rest = parts[2], parts[3:]
        # Profile facts name their instrument in free text: number them as the state's own
        # domestic instruments do (their ``provision_label``), not from a list in code.
        labels = {
            i.provision_label
            for i in self.instruments.values()
            if i.jurisdiction == prof.jurisdiction
        }
        word = "s." if labels == {"section"} else "Art."
        n = int(rest[0]) if len(rest) == 1 and rest[0].isdigit() else None

        def make(
            instrument: str,
            section: str | None,
            text: str,
            status: str | None,
            ev: Evidence,
            start: dt.date | None = None,
            end: dt.date | None = None,
        ) -> Citation:
            return Citation(
                id=cid,
                instrument=instrument,
                provision=f"{word} {section}" if section else "section not verified",
                text=text,
                text_status=status,
                in_force_from=start,
                in_force_to=end,
                verified=ev.verified,
                confidence=ev.confidence.value,
                sources=tuple(ev.sources),
                source_titles=self._source_titles(ev),
            )

        name = self.vocabulary.jurisdictions.get(prof.jurisdiction, prof.jurisdiction)
        if kind == "defence" and n is not None and n < len(prof.general_defences):
            d = prof.general_defences[n]
            return make(d.instrument, d.section, d.text, d.text_status.value, d.evidence)
        if kind == "penalty" and n is not None and n < len(prof.penalties):
            pen = prof.penalties[n]
            return make(
                pen.instrument,
                pen.section,
                pen.description,
                "paraphrase",
                pen.evidence,
                pen.in_force_from,
                pen.in_force_to,
            )
        if kind == "exemption" and n is not None and n < len(prof.penalty_exemptions):
            x = prof.penalty_exemptions[n]
            return make(
                x.instrument,
                x.section,
                x.text,
                x.text_status.value,
                x.evidence,
                x.in_force_from,
                x.in_force_to,
            )
        if kind == "age" and not rest:
            a = prof.age_of_criminal_responsibility
            return make(
                a.instrument or f"Law of {name}", a.section, a.detail, "paraphrase", a.evidence
            )
        if kind == "death_penalty" and not rest:
            dp = prof.death_penalty
            return make(f"Death penalty in {name}", None, dp.detail, "paraphrase", dp.evidence)
        if kind == "identification" and n is not None and n < len(prof.identification):
            f = prof.identification[n]
            return make(
                f.instrument or f"Victim identification in {name}",
                f.section,
                f.text,
                "paraphrase",
                f.evidence,
            )
        return None

    def can_cite(self, cid: str) -> bool:
        return (
            cid in self.provisions
            or cid in self.instruments
            or cid in self.sources
            or self._profile_fact(cid) is not None
        )

    # ----------------------------------------------------------------- search

    def search(self, text: str) -> Iterator[tuple[str, str, str]]:
        """(id, kind, snippet) for every record whose words contain all of ``text``'s words."""
        words = [w.casefold() for w in text.split() if w.strip()]
        if not words:
            return

        def hit(*fields: str | None) -> bool:
            blob = " ".join(f for f in fields if f).casefold()
            return all(w in blob for w in words)

        for i in self.instruments.values():
            if hit(i.id, i.title, i.short_title, i.requires, i.jurisdiction):
                yield i.id, "instrument", i.title
            for p in i.provisions:
                if hit(p.id, p.heading, p.text, p.summary, p.original_text, i.short_title):
                    yield p.id, "provision", f"{i.short_title} {p.section or ''}: {p.text[:100]}"
        for r in self.recommendations.values():
            if hit(r.title, r.guidance, r.case_action, r.stage):
                yield f"recommendation {r.number}", "recommendation", r.title
        for o in self.offences.values():
            if hit(o.code, o.label, o.definition, o.study_group):
                yield o.code, "offence", o.label
        for ag in self.bilateral.agreements:
            if hit(ag.id, ag.title, " ".join(ag.parties)):
                yield ag.id, "bilateral", ag.title
