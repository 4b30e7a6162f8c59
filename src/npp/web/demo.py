"""Demo data: organisations of each kind in several states, one user per role, and about 200
synthetic cases across the ten states and all six stages, written through the actions (so the
audit chain covers them). Only in demo mode (``NPP_DEMO=1``): never in production.

Every person is invented: names are random combinations of common given and family names.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import npp
from npp.web.accounts import actions as account_actions
from npp.web.accounts.models import Organisation, OrgKind, User
from npp.web.audit.log import record
from npp.web.audit.models import Event
from npp.web.cases import actions
from npp.web.cases.vocab import DECISIONS, STAGE_CODES, ReferralPurpose, ReferralStatus
from npp.web.roles import TWO_FACTOR_ROLES, Role

DEMO_PASSWORD = "npp-demo-password"

STATES: dict[str, dict[str, Any]] = {
    "TH": {
        "provinces": ["Bangkok", "Chiang Mai", "Songkhla", "Samut Sakhon", "Ranong"],
        "police": "Royal Thai Police, Bangkok Metropolitan",
        "immigration": "Immigration Bureau, Suvarnabhumi",
        "prosecution": "Office of the Attorney General, Department of Anti-Trafficking",
        "ngo": "Bangkok Migrant Women's Shelter",
        "labour_inspectorate": "Department of Labour Protection and Welfare",
        "defence": "Legal Aid Office, Lawyers Council",
        "court": "Criminal Court, Bangkok",
        "ministry": "Ministry of Social Development and Human Security",
    },
    "MY": {
        "provinces": ["Kuala Lumpur", "Johor", "Sabah", "Penang"],
        "police": "Royal Malaysia Police, Kuala Lumpur",
        "immigration": "Immigration Department, Bukit Jalil Depot",
        "prosecution": "Attorney General's Chambers",
        "ngo": "Tenaganita Shelter Partner",
    },
    "ID": {
        "provinces": ["Jakarta", "Batam", "Nusa Tenggara Timur", "Bali"],
        "police": "Indonesian National Police, Bareskrim",
        "immigration": "Directorate General of Immigration",
        "prosecution": "Attorney General's Office, Jakarta",
        "ngo": "Jakarta Survivors' Support Centre",
    },
    "PH": {
        "provinces": ["Metro Manila", "Cebu", "Mindanao", "Pampanga"],
        "police": "Philippine National Police, WCPC",
        "prosecution": "Department of Justice, IACAT",
        "ngo": "Manila Visayan Shelter Partner",
        "labour_inspectorate": "Department of Labor and Employment",
    },
    "VN": {
        "provinces": ["Ha Noi", "Lao Cai", "Ho Chi Minh City"],
        "police": "Ministry of Public Security, Ha Noi",
        "prosecution": "People's Procuracy, Ha Noi",
        "ngo": "Peace House Shelter Partner",
    },
    "KH": {
        "provinces": ["Phnom Penh", "Sihanoukville", "Battambang"],
        "police": "Anti-Human Trafficking Police, Phnom Penh",
        "prosecution": "Phnom Penh Municipal Prosecution",
        "ngo": "Phnom Penh Recovery Shelter",
    },
    "LA": {
        "provinces": ["Vientiane", "Savannakhet", "Champasak"],
        "police": "Anti-Trafficking Department, Vientiane",
        "prosecution": "Office of the Supreme People's Prosecutor",
        "ngo": "Vientiane Women's Shelter",
    },
    "MM": {
        "provinces": ["Yangon", "Myawaddy", "Shan"],
        "police": "Anti-Trafficking Police Division, Yangon",
        "prosecution": "Union Attorney General's Office",
        "ngo": "Yangon Returnee Support",
    },
    "SG": {
        "provinces": ["Central", "West", "East"],
        "police": "Singapore Police Force",
        "immigration": "Immigration & Checkpoints Authority",
        "prosecution": "Attorney-General's Chambers",
        "ngo": "Singapore Migrant Workers' Shelter",
        "labour_inspectorate": "Ministry of Manpower Inspectorate",
    },
    "BN": {
        "provinces": ["Brunei-Muara", "Belait"],
        "police": "Royal Brunei Police Force",
        "immigration": "Immigration and National Registration",
        "prosecution": "Attorney General's Chambers",
    },
}
WEIGHTS = {
    "TH": 40,
    "MY": 26,
    "ID": 24,
    "PH": 22,
    "VN": 18,
    "KH": 18,
    "LA": 14,
    "MM": 16,
    "SG": 12,
    "BN": 10,
}
NEIGHBOURS = {
    "TH": ["LA", "MM", "KH", "VN", "TH"],
    "MY": ["ID", "MM", "BD", "NP", "PH", "VN"],
    "ID": ["ID", "PH", "CN"],
    "PH": ["PH", "CN"],
    "VN": ["VN", "CN", "LA"],
    "KH": ["KH", "VN", "CN", "TH"],
    "LA": ["LA", "CN", "VN"],
    "MM": ["MM", "CN", "TH"],
    "SG": ["MM", "ID", "PH", "BD", "IN"],
    "BN": ["ID", "PH", "BD"],
}
NAMES = {
    "TH": (
        ["Siriporn", "Kanya", "Somchai", "Nattaya", "Pimchanok", "Arthit"],
        ["Sukprasert", "Wongsawat", "Chaiyaporn", "Srisuk"],
    ),
    "LA": (
        ["Souksavanh", "Vilayvanh", "Khamla", "Noy", "Bounmy"],
        ["Phommachanh", "Sisavath", "Keomany", "Vongsa"],
    ),
    "MM": (
        ["Thandar", "Aye Aye", "Zaw Min", "Hnin Wai", "Kyaw Soe"],
        ["Win", "Htun", "Oo", "Myint"],
    ),
    "KH": (["Sokha", "Srey Neang", "Dara", "Chenda", "Vuthy"], ["Chan", "Sok", "Kim", "Meas"]),
    "VN": (
        ["Lan", "Thi Mai", "Van Hung", "Ngoc Anh", "Thu Trang"],
        ["Nguyen", "Tran", "Le", "Pham"],
    ),
    "ID": (["Siti", "Dewi", "Agus", "Rina", "Wahyu"], ["Rahayu", "Saputra", "Lestari", "Hidayat"]),
    "PH": (
        ["Maria", "Jocelyn", "Mark", "Rowena", "Jerome"],
        ["Santos", "Reyes", "Dela Cruz", "Bautista"],
    ),
    "CN": (["Li", "Mei", "Wei", "Xiu"], ["Wang", "Zhang", "Liu", "Chen"]),
    "BD": (["Rahima", "Karim", "Nasrin"], ["Hossain", "Akter", "Rahman"]),
    "NP": (["Sita", "Bishnu", "Anita"], ["Tamang", "Gurung", "Shrestha"]),
    "IN": (["Priya", "Ravi", "Lakshmi"], ["Kumar", "Devi", "Nair"]),
    "MY": (["Nurul", "Aminah", "Hafiz"], ["Abdullah", "Ismail", "Rahman"]),
    "SG": (["Wei Ling", "Kumar"], ["Tan", "Lim"]),
    "BN": (["Nur", "Hadi"], ["Ahmad", "Yusof"]),
}

USERS = [
    ("demo-frontline", "frontline", "th-police"),
    ("demo-prosecutor", "prosecutor", "th-prosecution"),
    ("demo-defender", "defender", "th-defence"),
    ("demo-judge", "judge", "th-court"),
    ("demo-caseworker", "caseworker", "th-ngo"),
    ("demo-supervisor", "supervisor", "th-police"),
    ("demo-analyst", "analyst", "th-ministry"),
    ("demo-steward", "steward", "asean-regional"),
    ("demo-admin", "admin", "th-ministry"),
]


class NotDemo(Exception):
    pass


def _orgs() -> dict[str, Organisation]:
    out = {}
    for cc, spec in STATES.items():
        for kind in OrgKind.values:
            name = spec.get(kind)
            if not name:
                continue
            code = f"{cc.lower()}-{kind.split('_')[0]}"
            out[code] = account_actions.do_create_organisation(
                None,
                code=code,
                name=f"{name} (demo)",
                kind=kind,
                jurisdiction=cc,
                province=spec["provinces"][0],
            )
    out["asean-regional"] = account_actions.do_create_organisation(
        None,
        code="asean-regional",
        name="Regional Anti-Trafficking Observatory (demo)",
        kind=OrgKind.REGIONAL,
        jurisdiction="ID",
        province="Jakarta",
    )
    return out


def _facts(rng: random.Random, cc: str, kb: Any) -> dict[str, Any]:
    prof = kb.profiles.get(cc)
    common = list(prof.commonly_charged) if prof else ["immigration.illegal_entry"]
    extra = [
        "prostitution",
        "drugs.trafficking",
        "property.theft",
        "fraud.online_scam",
        "begging",
        "labour.work_without_permit",
        "fishing.iuu",
        "document.fraudulent_travel_or_identity",
    ]
    pool = [c for c in common + extra if c in kb.vocabulary.offence_categories]
    offences = rng.sample(sorted(set(pool)), k=rng.choice([1, 1, 2, 2, 3]))
    nationality = rng.choice(NEIGHBOURS[cc])
    age = rng.choice([None, rng.randint(13, 17), rng.randint(16, 22), rng.randint(18, 45)])
    purposes = {
        "prostitution": "sexual_exploitation", "drugs.trafficking": "forced_criminality",
        "fraud.online_scam": "forced_criminality", "begging": "forced_begging",
        "fishing.iuu": "forced_labour", "labour.work_without_permit": "forced_labour",
    }  # fmt: skip
    unknown_story = rng.random() < 0.15
    t: dict[str, Any] = {
        "acts": None
        if unknown_story
        else rng.sample(
            ["recruitment", "transportation", "harbouring", "receipt", "transfer"],
            k=rng.randint(1, 3),
        ),
        "means": None
        if unknown_story or rng.random() < 0.2
        else rng.sample(
            ["deception", "debt_bondage", "coercion", "threat", "abuse_of_vulnerability", "fraud"],
            k=rng.randint(1, 2),
        ),
        "purposes": None
        if unknown_story
        else sorted({purposes.get(o, "forced_labour") for o in offences}),
        "compelled": rng.choice([None, True, True, False]),
        "direct_consequence": rng.choice([None, True, True, False]),
        "under_control_at_offence": rng.choice([None, True, False]),
    }
    day = dt.date.today() - dt.timedelta(days=rng.randint(20, 1000))
    return {
        "jurisdiction": cc,
        "offence_date": day.isoformat(),
        "stage": "identification",
        "person": {
            "age": age,
            "age_disputed": (rng.random() < 0.4) if age is not None and age >= 18 else None,
            "sex": rng.choice(["female", "female", "male"]),
            "nationality": nationality,
            "victim_status": rng.choice(["potential", "potential", "none", "formal", None]),
            "identified_by": None,
        },
        "offences": [{"category": o} for o in offences],
        "trafficking": t,
        "indicators": [],
    }


def _person(rng: random.Random, nationality: str) -> dict[str, str]:
    given, family = NAMES.get(nationality, NAMES["TH"])
    g, f = rng.choice(given), rng.choice(family)
    dob_year = dt.date.today().year - rng.randint(14, 45)
    return {
        "full_name": f"{g} {f}",
        "aliases": rng.choice(["", "", f"{g[:3]}", f"'{rng.choice(given)}'"]),
        "date_of_birth": rng.choice(
            ["", f"{dob_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
        ),
        "document_numbers": rng.choice(["", "", f"P{rng.randint(1000000, 9999999)}"]),
        "contact": rng.choice(
            [
                "",
                "",
                f"via shelter, +{rng.randint(10, 99)} {rng.randint(100, 999)} "
                f"{rng.randint(1000, 9999)}",
            ]
        ),
    }


DECIDERS = {
    "identification": "Investigating officer", "arrest_and_charge": "Station commander",
    "prosecution": "Public prosecutor", "trial": "Trial judge", "sentencing": "Trial judge",
    "post_conviction": "Appeal court",
}  # fmt: skip
REASONS = [
    "Indicators of trafficking found during screening; the person was deceived about the work.",
    "Offence committed while under the control of the recruiter, who held her passport.",
    "Age not established; treated as a child pending assessment.",
    "Formal identification by the multidisciplinary team.",
    "The prosecutor found the offence a direct consequence of the trafficking.",
    "Insufficient information on the link to the trafficking; further inquiry requested.",
]


def load(n_cases: int = 200, seed: int = 4) -> dict[str, int]:
    """Load the demo data into an empty database. Refuses outside demo mode."""
    if not settings.DEMO:
        raise NotDemo("demo data is loaded only in demo mode (NPP_DEMO=1)")
    if Organisation.objects.exists():
        return {"organisations": 0, "users": 0, "cases": 0}
    rng = random.Random(seed)
    kb = npp.engine().kb
    with transaction.atomic():
        orgs = _orgs()
        users: dict[str, User] = {}
        for username, role, org in USERS:
            users[username] = account_actions.do_create_user(
                None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                organisation=orgs[org],
                totp_secret=account_actions.new_totp_secret() if role in TWO_FACTOR_ROLES else None,
            )
        # A case-role user per organisation for writing demo cases (no password: cannot sign in).
        writers: dict[str, User] = {}
        for code, org in orgs.items():
            if org.kind in {"ministry", "regional_body"}:
                continue
            writers[code] = account_actions.do_create_user(
                None,
                username=f"synthetic-{code}",
                password=None,
                role=Role.FRONTLINE,
                organisation=org,
            )
        writers["th-police"] = users["demo-frontline"]
        states = list(WEIGHTS)
        weights = [WEIGHTS[s] for s in states]
        made = 0
        for i in range(n_cases):
            cc = states[i % len(states)] if i < len(states) * 6 else rng.choices(states, weights)[0]
            kinds = [
                k for k in ("police", "immigration", "labour", "ngo") if f"{cc.lower()}-{k}" in orgs
            ]
            owner_code = f"{cc.lower()}-{rng.choices(kinds, [6, 3, 1, 1][: len(kinds)])[0]}"
            writer = writers[owner_code]
            facts = _facts(rng, cc, kb)
            created = timezone.now() - dt.timedelta(
                days=rng.randint(5, 400), hours=rng.randint(0, 23)
            )
            case = actions.do_create_case(
                writer,
                facts,
                person=_person(rng, facts["person"]["nationality"]),
                province=rng.choice(STATES[cc]["provinces"]),
                created_at=created,
            )
            target_stage = STAGE_CODES[i % 6] if i < 60 else rng.choice(STAGE_CODES)
            for stage in STAGE_CODES[: STAGE_CODES.index(target_stage) + 1]:
                if stage != case.stage:
                    actions.do_advance_stage(
                        writer, case, stage, case.version, decided_by=DECIDERS[stage]
                    )
                for _n in range(rng.choice([0, 1, 1, 2])):
                    code, _label = rng.choice(DECISIONS[stage])
                    offence = rng.choice(facts["offences"])["category"]
                    actions.do_record_decision(
                        writer,
                        case,
                        code,
                        case.version,
                        decided_by=DECIDERS[stage],
                        reasons=rng.choice(REASONS),
                        offence=offence,
                        stage=stage,
                        occurred_on=min(
                            dt.date.today(),
                            created.date()
                            + dt.timedelta(days=STAGE_CODES.index(stage) * 20 + rng.randint(0, 15)),
                        ),
                    )
            _refer(rng, case, cc, writer, orgs)
            made += 1
        record(Event.DEMO_LOADED, details={"cases": made, "seed": seed})
    return {"organisations": len(orgs), "users": len(users), "cases": made}


def _refer(
    rng: random.Random, case: Any, cc: str, writer: User, orgs: dict[str, Organisation]
) -> None:
    prefix = cc.lower()
    targets = []
    if f"{prefix}-ngo" in orgs and writer.organisation_id != orgs[f"{prefix}-ngo"].pk:
        targets.append((orgs[f"{prefix}-ngo"], ReferralPurpose.SHELTER))
    if case.stage in {"trial", "sentencing", "post_conviction"}:
        for kind, purpose in (
            ("court", ReferralPurpose.COURT),
            ("defence", ReferralPurpose.LEGAL_AID),
        ):
            if f"{prefix}-{kind}" in orgs:
                targets.append((orgs[f"{prefix}-{kind}"], purpose))
    # Last: a transfer to prosecution (the next link after police) ends the writer's right
    # to refer; the others are service referrals (their kind follows referral_rules.yaml).
    if case.stage != "identification" and f"{prefix}-prosecution" in orgs:
        targets.append((orgs[f"{prefix}-prosecution"], ReferralPurpose.PROSECUTION))
    for org, purpose in targets:
        if rng.random() < 0.6 or cc == "TH":
            due = dt.date.today() + dt.timedelta(days=rng.randint(-12, 21))
            r = actions.do_refer(
                writer,
                case,
                org,
                purpose,
                due,
                case.version,
                share_identity=purpose != ReferralPurpose.PROSECUTION or rng.random() < 0.5,
                note=rng.choice(
                    ["", "Interpreter needed (Lao).", "Person prefers a female caseworker."]
                ),
            )
            status = rng.choice(
                [
                    ReferralStatus.PENDING,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.IN_PROGRESS,
                    ReferralStatus.COMPLETED,
                ]
            )
            if status != ReferralStatus.PENDING:
                member = User.objects.filter(
                    organisation=org,
                    role__in=[
                        Role.FRONTLINE,
                        Role.PROSECUTOR,
                        Role.CASEWORKER,
                        Role.JUDGE,
                        Role.DEFENDER,
                    ],
                ).first()
                if member is not None:
                    actions.do_update_referral(member, r, status, r.version)
