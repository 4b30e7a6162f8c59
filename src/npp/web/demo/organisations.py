"""Who is in the demo: organisations of each kind in the ten states, one user per role (and a
regional analyst), and the synthetic writers that record the demo's cases.

Every organisation and person here is invented. The user list is part of contract §4:
``demo-prosecutor`` is a prosecutor in a Thai organisation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from npp.web.accounts import actions as account_actions
from npp.web.accounts.models import Organisation, OrgKind, User
from npp.web.roles import TWO_FACTOR_ROLES, Role

DEMO_PASSWORD = "npp-demo-password"
REGIONAL = "asean-regional"

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

#: (username, role, organisation code). Every demo account signs in with ``DEMO_PASSWORD``.
USERS = [
    ("demo-frontline", "frontline", "th-police"),
    ("demo-prosecutor", "prosecutor", "th-prosecution"),
    ("demo-defender", "defender", "th-defence"),
    ("demo-judge", "judge", "th-court"),
    ("demo-caseworker", "caseworker", "th-ngo"),
    ("demo-supervisor", "supervisor", "th-police"),
    ("demo-analyst", "analyst", "th-ministry"),
    # A regional body's analyst sees the statistics of all ten states
    # (npp.web.monitoring.exchange.statistics_scope).
    ("demo-analyst-regional", "analyst", REGIONAL),
    ("demo-steward", "steward", REGIONAL),
    ("demo-admin", "admin", "th-ministry"),
]
#: Organisation kinds whose members work on cases (and so can record or follow up a case).
CASE_KINDS = ("police", "immigration", "labour_inspectorate", "prosecution", "defence", "court",
              "ngo")  # fmt: skip


def org_code(cc: str, kind: str) -> str:
    return f"{cc.lower()}-{kind.split('_')[0]}"


def create_organisations() -> dict[str, Organisation]:
    out = {}
    for cc, spec in STATES.items():
        for kind in OrgKind.values:
            name = spec.get(kind)
            if not name:
                continue
            code = org_code(cc, kind)
            out[code] = account_actions.do_create_organisation(
                None,
                code=code,
                name=f"{name} (demo)",
                kind=kind,
                jurisdiction=cc,
                province=spec["provinces"][0],
            )
    out[REGIONAL] = account_actions.do_create_organisation(
        None,
        code=REGIONAL,
        name="Regional Anti-Trafficking Observatory (demo)",
        kind=OrgKind.REGIONAL,
        jurisdiction="ID",
        province="Jakarta",
    )
    return out


def create_users(orgs: dict[str, Organisation]) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, role, org in USERS:
        users[username] = account_actions.do_create_user(
            None,
            username=username,
            password=None,
            role=role,
            organisation=orgs[org],
            totp_secret=account_actions.new_totp_secret() if role in TWO_FACTOR_ROLES else None,
        )
    # Every demo account has the same (published) password: hash it once, not once per user
    # (a password hash is made slow on purpose: about a second here).
    encoded = make_password(DEMO_PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(password=encoded)
    for u in users.values():
        u.password = encoded
    return users


def create_writers(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, User]:
    """One user per case-working organisation that records (or follows up) its demo cases.
    Thai organisations use their demo user; the others get a user without a password, who
    cannot sign in."""
    by_org: dict[str, User] = {}
    for username, _role, code in USERS:
        user = users[username]
        if code not in by_org and user.role in {"frontline", "prosecutor", "defender", "judge",
                                                "caseworker"}:  # fmt: skip
            by_org[code] = user
    for code, org in orgs.items():
        if org.kind not in CASE_KINDS or code in by_org:
            continue
        by_org[code] = account_actions.do_create_user(
            None,
            username=f"synthetic-{code}",
            password=None,
            role=Role.FRONTLINE,
            organisation=org,
        )
    return by_org
