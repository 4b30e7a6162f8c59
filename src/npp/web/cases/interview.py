"""The guided assessment: a short interview that asks only what matters given earlier answers.

Each :class:`Step` says whether it applies to the facts gathered so far and which questions it
asks; answers are written straight into contract §1 facts, where "don't know" is ``None`` (or
an absent key), never ``false``. Nothing here touches the database.

What decides whether a question matters:

* proof of age is asked only of someone said to be 18 or over (anyone younger, or of unknown
  age, is treated as a child anyway);
* who identified the person only if they were formally identified;
* the means of trafficking only for an adult (means are not required for a child);
* compulsion / direct consequence only if the state's provision covering one of the offences
  uses that test; whether the trafficker's control continued only where trafficking is
  suggested;
* screening indicators only where nothing else suggests trafficking yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

import npp

UNKNOWN = "unknown"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Nationalities most often met in the region's cases; others can be added in the API.
NATIONALITIES = [
    "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN",
    "BD", "CN", "IN", "KR", "LK", "NP", "PK", "TW", "UZ", "KE", "UG", "NG",
]  # fmt: skip
COUNTRY_NAMES = {
    "BD": "Bangladesh", "CN": "China", "IN": "India", "KR": "Republic of Korea",
    "LK": "Sri Lanka", "NP": "Nepal", "PK": "Pakistan", "TW": "Taiwan", "UZ": "Uzbekistan",
    "KE": "Kenya", "UG": "Uganda", "NG": "Nigeria",
}  # fmt: skip


@dataclass
class Question:
    name: str
    label: Any
    help: Any
    kind: str  # choice | multi | number | date | select
    options: list[tuple[str, Any]] = field(default_factory=list)
    value: Any = None
    dont_know: bool = True
    error: str | None = None

    @property
    def is_none(self) -> bool:
        return self.value == []

    @property
    def is_unknown(self) -> bool:
        return self.value is None

    @property
    def selected(self) -> list[str]:
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value is None else [str(self.value)]


def _kb() -> Any:
    return npp.engine().kb


def _tri(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _read_tri(post: QueryDict, name: str) -> bool | None:
    v = post.get(name, UNKNOWN)
    return True if v == "yes" else False if v == "no" else None


def _law_date(facts: dict[str, Any]) -> dt.date:
    raw = facts.get("offence_date")
    try:
        return dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        return dt.date.today()


def presumed_child(facts: dict[str, Any]) -> bool:
    p = facts.get("person") or {}
    age = p.get("age")
    return age is None or age < 18 or bool(p.get("age_disputed"))


def suggests_trafficking(facts: dict[str, Any]) -> bool:
    p = facts.get("person") or {}
    t = facts.get("trafficking") or {}
    return (
        p.get("victim_status") in {"potential", "formal"}
        or bool(t.get("acts"))
        or bool(t.get("means"))
        or bool(t.get("purposes"))
        or bool(facts.get("indicators"))
    )


def link_tests(facts: dict[str, Any]) -> set[str]:
    """The link tests ('compulsion', 'causation') of provisions covering the offences."""
    cc = facts.get("jurisdiction")
    if not cc:
        return set()
    eng = npp.engine()
    out = set()
    for o in facts.get("offences") or []:
        cat = o.get("category")
        if cat not in eng.kb.offences:
            continue
        law = eng.law.get(cc, _law_date(facts), cat)
        if law.in_scope and law.model in {"compulsion", "causation"}:
            out.add(law.model)
    return out


class Step:
    key = ""
    title: Any = ""
    intro: Any = ""

    def applies(self, facts: dict[str, Any]) -> bool:
        return True

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        raise NotImplementedError

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        """Write the answers into ``facts``; return errors by question name."""
        raise NotImplementedError


class Where(Step):
    key = "where"
    title = _("Where and when")
    intro = _("The law that applies is the law of the state, in force on the date of the offence.")

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        kb = _kb()
        return [
            Question(
                "jurisdiction",
                _("In which state is the person being dealt with?"),
                _(
                    "Each ASEAN state protects victims differently; the assessment applies that "
                    "state's law."
                ),
                "choice",
                [(cc, name) for cc, name in kb.vocabulary.jurisdictions.items()],
                facts.get("jurisdiction"),
                dont_know=False,
            ),
            Question(
                "offence_date",
                _("When was the offence committed?"),
                _(
                    "Laws change; the one in force on this date applies. If you don't know, "
                    "today's law is used."
                ),
                "date",
                value=facts.get("offence_date"),
            ),
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        errors = {}
        cc = post.get("jurisdiction", "")
        if cc not in _kb().vocabulary.jurisdictions:
            errors["jurisdiction"] = str(_("Choose a state."))
        else:
            facts["jurisdiction"] = cc
        raw = post.get("offence_date", "").strip()
        if not raw:
            facts.pop("offence_date", None)
        else:
            try:
                day = dt.date.fromisoformat(raw)
                if day > dt.date.today():
                    errors["offence_date"] = str(_("The date cannot be in the future."))
                else:
                    facts["offence_date"] = day.isoformat()
            except ValueError:
                errors["offence_date"] = str(_("Enter a date as YYYY-MM-DD, or tick “Don't know”."))
        return errors


class Stage(Step):
    key = "stage"
    title = _("Stage of the case")
    intro = _(
        "What you should do now depends on where the case is in the criminal-justice process."
    )
    HELP: ClassVar[dict[str, Any]] = {
        "identification": _("Screening, first contact, investigation (recommendations 1–5)."),
        "arrest_and_charge": _(
            "Arrest, detention and the decision to charge (recommendations 6–9)."
        ),
        "prosecution": _("The prosecutor decides whether to proceed (recommendations 10–15)."),
        "trial": _("Defences and the burden of proof at trial (recommendations 16–20)."),
        "sentencing": _("Conviction, mitigation and penalties (recommendations 21–24)."),
        "post_conviction": _("Appeals, pardons and clearing records (recommendations 25–26)."),
    }

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        from npp.web.cases.vocab import STAGES

        return [
            Question(
                "stage",
                _("Where is the case now?"),
                _("Choose the stage the case has reached."),
                "choice",
                [(code, f"{label} — {self.HELP[code]}") for code, label in STAGES],
                facts.get("stage") or "identification",
                dont_know=False,
            )
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        from npp.web.cases.vocab import STAGE_CODES

        stage = post.get("stage", "")
        if stage not in STAGE_CODES:
            return {"stage": str(_("Choose a stage."))}
        facts["stage"] = stage
        return {}


class PersonStep(Step):
    key = "person"
    title = _("The person")
    intro = _(
        "Only what the law turns on. Do not enter names here: identifying details are kept "
        "separately, encrypted, once a case is saved."
    )

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        p = facts.get("person") or {}
        kb = _kb()
        names = dict(kb.vocabulary.jurisdictions) | COUNTRY_NAMES
        return [
            Question(
                "age",
                _("How old was the person at the time of the offence?"),
                _(
                    "Children (under 18) need no 'means' to be victims, and are protected as "
                    "children. If you don't know, the person is presumed to be a child."
                ),
                "number",
                value=p.get("age"),
            ),
            Question(
                "sex",
                _("Sex"),
                _("Some bilateral agreements cover only women and children."),
                "choice",
                [("female", _("Female")), ("male", _("Male")), ("other", _("Other"))],
                p.get("sex"),
            ),
            Question(
                "nationality",
                _("Nationality"),
                _(
                    "A foreign national may face immigration detention or removal, and other "
                    "states' identification must be recognised (ACTIP art. 14(2))."
                ),
                "select",
                [(c, names.get(c, c)) for c in NATIONALITIES],
                p.get("nationality"),
            ),
            Question(
                "victim_status",
                _("Has anyone considered that this person may be a victim of trafficking?"),
                _(
                    "A credible suspicion is enough for protection to apply; formal "
                    "identification need not have happened."
                ),
                "choice",
                [
                    ("none", _("No one has considered it yet")),
                    ("potential", _("Yes: there are signs, but no formal identification")),
                    ("formal", _("Yes: formally identified as a victim")),
                ],
                p.get("victim_status"),
            ),
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        p = dict(facts.get("person") or {})
        errors = {}
        raw = post.get("age", "").strip()
        if not raw:
            p["age"] = None
            p.pop("age_disputed", None)
        else:
            try:
                age = int(raw)
                if not 0 <= age <= 120:
                    raise ValueError
                p["age"] = age
                if age < 18:
                    p.pop("age_disputed", None)
            except ValueError:
                errors["age"] = str(
                    _("Enter a whole number between 0 and 120, or tick “Don't know”.")
                )
        sex = post.get("sex", UNKNOWN)
        p["sex"] = sex if sex in {"female", "male", "other"} else None
        nat = post.get("nationality", UNKNOWN)
        p["nationality"] = nat if nat in NATIONALITIES else None
        status = post.get("victim_status", UNKNOWN)
        p["victim_status"] = status if status in {"none", "potential", "formal"} else None
        if p["victim_status"] != "formal":
            p.pop("identified_by", None)
        facts["person"] = p
        return errors


class AgeProof(Step):
    key = "age"
    title = _("Proof of age")
    intro = _("Asked because the person is said to be an adult.")

    def applies(self, facts: dict[str, Any]) -> bool:
        age = (facts.get("person") or {}).get("age")
        return age is not None and age >= 18

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        p = facts.get("person") or {}
        return [
            Question(
                "age_disputed",
                _("Is the stated age doubtful, or without reliable proof?"),
                _(
                    "Traffickers often make children claim to be adults. If the age is in "
                    "doubt, the person is presumed a child until it is established."
                ),
                "choice",
                YES_NO,
                _tri(p.get("age_disputed")),
            )
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        facts.setdefault("person", {})["age_disputed"] = _read_tri(post, "age_disputed")
        return {}


class IdentifiedBy(Step):
    key = "identified"
    title = _("Formal identification")

    def applies(self, facts: dict[str, Any]) -> bool:
        return (facts.get("person") or {}).get("victim_status") == "formal"

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        kb = _kb()
        return [
            Question(
                "identified_by",
                _("Which state identified the person as a victim?"),
                _("ACTIP art. 14(2): an identification by another member state must be respected."),
                "select",
                list(kb.vocabulary.jurisdictions.items()),
                (facts.get("person") or {}).get("identified_by"),
            )
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        v = post.get("identified_by", UNKNOWN)
        facts.setdefault("person", {})["identified_by"] = (
            v if v in _kb().vocabulary.jurisdictions else None
        )
        return {}


class Offences(Step):
    key = "offences"
    title = _("Offences")
    intro = _("Choose every offence the person is suspected of, charged with or convicted of.")

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        kb = _kb()
        current = [o.get("category") for o in facts.get("offences") or []]
        options = [
            (code, kb.offences[code].label if code in kb.offences else code)
            for code in kb.vocabulary.offence_categories
        ]
        return [
            Question(
                "offences",
                _("Which offences?"),
                _(
                    "Many victims are charged with offences their exploitation caused: "
                    "immigration, prostitution, drugs, theft, scams. Each is assessed "
                    "separately."
                ),
                "multi",
                options,
                current,
                dont_know=False,
            )
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        kb = _kb()
        chosen = [c for c in post.getlist("offences") if c in kb.vocabulary.offence_categories]
        if not chosen:
            return {"offences": str(_("Choose at least one offence."))}
        old = {o.get("category"): o for o in facts.get("offences") or []}
        facts["offences"] = [old.get(c) or {"category": c} for c in chosen]
        return {}


def _multi(name: str, codes: Any, value: Any, label: Any, help_: Any) -> Question:
    return Question(
        name,
        label,
        help_,
        "multi",
        [(c, c.replace("_", " ")) for c in codes],
        value,
    )


def _read_multi(post: QueryDict, name: str, allowed: Any) -> list[str] | None:
    """Ticked options win (a forgotten "Don't know" tick must not erase answers)."""
    chosen = [c for c in post.getlist(name) if c in allowed]
    if chosen:
        return chosen
    if post.get(f"{name}_none") and not post.get(f"{name}_unknown"):
        return []
    return None


class WhatHappened(Step):
    key = "happened"
    title = _("What happened")
    intro = _(
        "Tick what is reported. Leave “Don't know” ticked for anything not yet known: unknown "
        "is not the same as no."
    )

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        v = _kb().vocabulary
        t = facts.get("trafficking") or {}
        return [
            _multi(
                "acts",
                v.trafficking_acts,
                t.get("acts"),
                _("How did the person come to be where they were exploited?"),
                _("The 'act' of trafficking (UN Trafficking Protocol art. 3(a))."),
            ),
            _multi(
                "purposes",
                v.exploitation_purposes,
                t.get("purposes"),
                _("What was the person made to do?"),
                _("The purpose of exploitation."),
            ),
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        v = _kb().vocabulary
        t = dict(facts.get("trafficking") or {})
        t["acts"] = _read_multi(post, "acts", v.trafficking_acts)
        t["purposes"] = _read_multi(post, "purposes", v.exploitation_purposes)
        facts["trafficking"] = t
        return {}


class Means(Step):
    key = "means"
    title = _("Means used")
    intro = _("Asked only for adults: for a child, means are not required.")

    def applies(self, facts: dict[str, Any]) -> bool:
        return not presumed_child(facts)

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        v = _kb().vocabulary
        t = facts.get("trafficking") or {}
        return [
            _multi(
                "means",
                v.trafficking_means,
                t.get("means"),
                _("How was the person controlled or deceived?"),
                _(
                    "The 'means' (threats, deception, debt, abuse of vulnerability...). Where "
                    "means were used, the person's consent is irrelevant."
                ),
            ),
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        t = dict(facts.get("trafficking") or {})
        t["means"] = _read_multi(post, "means", _kb().vocabulary.trafficking_means)
        facts["trafficking"] = t
        return {}


class Indicators(Step):
    key = "indicators"
    title = _("Signs of trafficking")
    intro = _("Nothing so far suggests trafficking. Have you seen any of these signs?")

    def applies(self, facts: dict[str, Any]) -> bool:
        return not suggests_trafficking(facts) or bool(facts.get("indicators"))

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        kb = _kb()
        child = presumed_child(facts)
        options = []
        for s in kb.indicator_sets.values():
            for ind in s.indicators:
                if (ind.child if child else ind.adult) == "strong":
                    options.append((ind.code, ind.label))
        return [
            Question(
                "indicators",
                _("Signs seen"),
                _(
                    "Strong indicators from recognised screening lists. One sign alone is not "
                    "proof, but it is a reason to screen and refer."
                ),
                "multi",
                options[:40],
                facts.get("indicators") or [],
                dont_know=False,
            )
        ]

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        kb = _kb()
        facts["indicators"] = [c for c in post.getlist("indicators") if c in kb.indicators]
        return {}


class Link(Step):
    key = "link"
    title = _("The link to the trafficking")
    intro = _(
        "The state's provision protects the person only if the offence is linked to the "
        "trafficking in the way it describes."
    )

    def applies(self, facts: dict[str, Any]) -> bool:
        return bool(self.questions(facts))

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        t = facts.get("trafficking") or {}
        tests = link_tests(facts)
        qs = []
        if "compulsion" in tests:
            qs.append(
                Question(
                    "compelled",
                    _("Was the person compelled by the trafficker to commit the offence?"),
                    _(
                        "Made to act against their will. Violence is not needed; threats, debt "
                        "or deception can compel."
                    ),
                    "choice",
                    YES_NO,
                    _tri(t.get("compelled")),
                )
            )
        if "causation" in tests:
            qs.append(
                Question(
                    "direct_consequence",
                    _("Was the offence a direct consequence of being trafficked?"),
                    _(
                        "For example, entering without papers because the trafficker brought "
                        "the person in."
                    ),
                    "choice",
                    YES_NO,
                    _tri(t.get("direct_consequence")),
                )
            )
        if suggests_trafficking(facts):
            qs.append(
                Question(
                    "under_control_at_offence",
                    _(
                        "Was the trafficker's influence still operating when the offence was "
                        "committed?"
                    ),
                    _("A question for the record, never a verdict on its own (recommendation 20)."),
                    "choice",
                    YES_NO,
                    _tri(t.get("under_control_at_offence")),
                )
            )
        return qs

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        t = dict(facts.get("trafficking") or {})
        for q in self.questions(facts):
            t[q.name] = _read_tri(post, q.name)
        facts["trafficking"] = t
        return {}


class LawDetails(Step):
    """The facts a provision or a penalty turns on, asked only where the law needs them.

    The engine says which (contract §1a): whether conduct charged under a partly covered
    category is within the provision's words (``offences[].within_provision``), and the
    person's age now where a penalty is excluded above a set age (``person.age_now``).
    """

    key = "law"
    title = _("What the law turns on")
    intro = _(
        "The law that applies covers part of an offence only, or excludes a penalty for some "
        "persons: these answers decide it."
    )

    def applies(self, facts: dict[str, Any]) -> bool:
        return bool(self.questions(facts))

    def _asked(self, facts: dict[str, Any]) -> list[dict[str, Any]]:
        if not facts.get("jurisdiction") or not facts.get("offences"):
            return []
        try:
            doc = npp.engine().assess_data(clean_facts(facts)).document
        except npp.InvalidFacts:
            return []
        return [
            q
            for q in doc["questions"]
            if q["field"] == "person.age_now" or q["field"].endswith(".within_provision")
        ]

    def questions(self, facts: dict[str, Any]) -> list[Question]:
        qs = []
        offences = facts.get("offences") or []
        for q in self._asked(facts):
            f = q["field"]
            if f == "person.age_now":
                qs.append(
                    Question(
                        "age_now",
                        _("How old is the person now?"),
                        q["question"],
                        "number",
                        value=(facts.get("person") or {}).get("age_now"),
                    )
                )
            else:
                n = int(f[f.index("[") + 1 : f.index("]")])
                qs.append(
                    Question(
                        f"within_provision_{n}",
                        q["question"],
                        _("Answer for this offence only. Unknown keeps the outcome conditional."),
                        "choice",
                        YES_NO,
                        _tri(offences[n].get("within_provision")) if n < len(offences) else None,
                    )
                )
        return qs

    def read(self, post: QueryDict, facts: dict[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        for q in self.questions(facts):
            if q.name == "age_now":
                raw = post.get("age_now", "").strip()
                p = dict(facts.get("person") or {})
                try:
                    p["age_now"] = int(raw) if raw else None
                    if p["age_now"] is not None and not 0 <= p["age_now"] <= 120:
                        raise ValueError
                    if p["age_now"] is not None and (p.get("age") or 0) > p["age_now"]:
                        errors["age_now"] = str(
                            _("The age now cannot be below the age at the time of the offence.")
                        )
                        p["age_now"] = None
                except ValueError:
                    errors["age_now"] = str(
                        _("Enter a whole number between 0 and 120, or tick “Don't know”.")
                    )
                    p["age_now"] = None
                facts["person"] = p
            else:
                n = int(q.name.rsplit("_", 1)[1])
                offences = [dict(o) for o in facts.get("offences") or []]
                if n < len(offences):
                    offences[n]["within_provision"] = _read_tri(post, q.name)
                    facts["offences"] = offences
        return errors


STEPS: list[Step] = [
    Where(), Stage(), PersonStep(), AgeProof(), IdentifiedBy(), Offences(), WhatHappened(),
    Means(), Indicators(), Link(), LawDetails(),
]  # fmt: skip
STEP_KEYS = [s.key for s in STEPS]


def step(key: str) -> Step | None:
    return next((s for s in STEPS if s.key == key), None)


def _ready(facts: dict[str, Any], s: Step) -> bool:
    """A later step can be judged only once what it depends on was asked."""
    idx = STEP_KEYS.index(s.key)
    if idx > STEP_KEYS.index("where") and not facts.get("jurisdiction"):
        return s.key in {"stage", "person", "age", "identified"}
    return True


def applicable(facts: dict[str, Any]) -> list[Step]:
    return [s for s in STEPS if _ready(facts, s) and s.applies(facts)]


def next_step(facts: dict[str, Any], after: str | None) -> Step | None:
    steps = applicable(facts)
    if after is None:
        return steps[0] if steps else None
    pos = STEP_KEYS.index(after)
    for s in steps:
        if STEP_KEYS.index(s.key) > pos:
            return s
    return None


def previous_step(facts: dict[str, Any], before: str) -> Step | None:
    pos = STEP_KEYS.index(before)
    prior = [s for s in applicable(facts) if STEP_KEYS.index(s.key) < pos]
    return prior[-1] if prior else None


def clean_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Contract §1 facts without empty sections (``None`` stays: it means not known)."""
    out = {k: v for k, v in facts.items() if v not in (None, {}, [])}
    if "indicators" not in out:
        out["indicators"] = []
    return out
