"""Write a realistic synthetic sitrep DB in exactly the store's file format.

    .venv/bin/python benchmarks/generate.py --claims 100000 --out bench_out/db-100k.json

The file has the layout of docs/DESIGN.md: ``_meta``, ``settlements`` (about 300, with Latin and
Cyrillic alternative names, region, lat/lon, 1-3 control observations), ``sources`` (50, with
aliases, role, alignment, reliability A-F), ``claims`` (N, each with a ~200-character text, some
with a quote, 1-3 settlement refs, ISO dates of day/month/time precision, a status that is mostly
``unverified``, credibility 1-6, tags, some origin/corroborates/contradicts refs to earlier
claims, 1-3 history entries) and ``feeds``. Doc ids are strings of digits; records refer to each
other by their ``id`` field. Written pretty-printed (indent 2, UTF-8, Cyrillic unescaped) with a
trailing newline, as the store writes it. 100k claims give a file of about 75 MB.

The output depends only on ``n_claims`` and ``seed``. Importable::

    from benchmarks.generate import generate, write
    write(generate(10_000, seed=1), path)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import orjson

N_SETTLEMENTS = 300
N_SOURCES = 50

# --- settlements -----------------------------------------------------------------------------
# Each part is (Ukrainian transliteration, Ukrainian Cyrillic, Russian transliteration, Russian
# Cyrillic), so a composed name has the four spellings a real record carries.
_PREFIXES = [
    ("", "", "", ""),
    ("", "", "", ""),
    ("", "", "", ""),
    ("Novo", "Ново", "Novo", "Ново"),
    ("Staro", "Старо", "Staro", "Старо"),
    ("Velyko", "Велико", "Veliko", "Велико"),
    ("Verkhnyo", "Верхньо", "Verkhne", "Верхне"),
    ("Nyzhnyo", "Нижньо", "Nizhne", "Нижне"),
    ("Krasno", "Красно", "Krasno", "Красно"),
]
_ROOTS = [
    ("bil", "біл", "bel", "бел"),
    ("hor", "гор", "gor", "гор"),
    ("lyman", "лиман", "liman", "лиман"),
    ("dub", "дуб", "dub", "дуб"),
    ("oleksandr", "олександр", "aleksandr", "александр"),
    ("mykhail", "михайл", "mikhail", "михайл"),
    ("petr", "петр", "petr", "петр"),
    ("kamian", "кам'ян", "kamen", "камен"),
    ("topol", "тополь", "topol", "тополь"),
    ("berez", "берез", "berez", "берез"),
    ("sosn", "сосн", "sosn", "сосн"),
    ("pishch", "піщ", "peshch", "пещ"),
    ("kruh", "круг", "krug", "круг"),
    ("zelen", "зелен", "zelen", "зелен"),
    ("vyshn", "вишн", "vishn", "вишн"),
    ("yablun", "яблун", "yablon", "яблон"),
    ("hrushev", "грушев", "grushev", "грушев"),
    ("kalyn", "калин", "kalin", "калин"),
    ("myrn", "мирн", "mirn", "мирн"),
    ("volod", "волод", "volod", "волод"),
    ("ivan", "іван", "ivan", "иван"),
    ("stepan", "степан", "stepan", "степан"),
    ("sviat", "свят", "svyat", "свят"),
    ("kurakh", "курах", "kurakh", "курах"),
    ("tors", "торс", "tors", "торс"),
    ("bakhmut", "бахмут", "bakhmut", "бахмут"),
    ("siversk", "сіверськ", "seversk", "северск"),
    ("khrest", "хрест", "krest", "крест"),
    ("yar", "яр", "yar", "яр"),
    ("shevchenk", "шевченк", "shevchenk", "шевченк"),
]
_SUFFIXES = [
    ("ivka", "івка", "ovka", "овка"),
    ("ivske", "івське", "ovskoye", "овское"),
    ("ove", "ове", "ovo", "ово"),
    ("ka", "ка", "ka", "ка"),
    ("ne", "не", "noye", "ное"),
    ("ivtsi", "івці", "ovtsy", "овцы"),
    ("ynka", "инка", "inka", "инка"),
    ("yi", "ий", "y", "ый"),
    ("ohirka", "огірка", "ogorka", "огорка"),
    ("ansk", "анськ", "ansk", "анск"),
    ("ivsk", "івськ", "ovsk", "овск"),
    ("ivka Druha", "івка Друга", "ovka Vtoraya", "овка Вторая"),
]
# The towns of the seed report first, with their real spellings and positions.
_REAL_SETTLEMENTS = [
    (
        "lysychansk",
        "Lysychansk",
        ["Lisichansk", "Lysychans'k", "Лисичанськ", "Лисичанск"],
        "Luhansk",
        48.904,
        38.442,
    ),
    ("lyman", "Lyman", ["Liman", "Krasnyi Lyman", "Лиман"], "Donetsk", 48.989, 37.802),
    (
        "sloviansk",
        "Sloviansk",
        ["Slavyansk", "Slov'yans'k", "Слов'янськ", "Славянск"],
        "Donetsk",
        48.853,
        37.605,
    ),
    ("svatove", "Svatove", ["Svatovo", "Сватове", "Сватово"], "Luhansk", 49.410, 38.150),
    (
        "starobilsk",
        "Starobilsk",
        ["Starobelsk", "Старобільськ", "Старобельск"],
        "Luhansk",
        49.275,
        38.909,
    ),
    ("novopskov", "Novopskov", ["Новопсков"], "Luhansk", 49.545, 39.094),
    ("milove", "Milove", ["Melovoye", "Мілове", "Меловое"], "Luhansk", 49.380, 40.130),
    ("kreminna", "Kreminna", ["Kremennaya", "Кремінна", "Кременная"], "Luhansk", 49.048, 38.218),
    ("luhansk", "Luhansk", ["Lugansk", "Луганськ", "Луганск"], "Luhansk", 48.567, 39.317),
]
_REGIONS = [
    ("Luhansk", 48.5, 50.0, 38.0, 40.2),
    ("Donetsk", 47.0, 49.2, 36.6, 38.6),
    ("Kharkiv", 48.9, 50.4, 35.3, 38.0),
    ("Zaporizhzhia", 46.6, 48.0, 34.8, 36.9),
    ("Kherson", 46.2, 47.6, 32.4, 35.0),
    ("Dnipropetrovsk", 47.6, 49.2, 33.3, 36.3),
    ("Mykolaiv", 46.5, 48.1, 30.7, 33.3),
    ("Sumy", 50.2, 52.3, 33.2, 35.6),
]
_CONTROLLERS = ["ua", "ru", "contested", "unknown"]
_CONTROL_NOTES = [
    "",
    "",
    "",
    "taken after weeks of fighting",
    "flag raised in the centre",
    "withdrawal reported by both sides",
    "shelling continues on the outskirts",
    "administration evacuated",
    "partisan activity reported",
    "front line runs through the town",
]

# --- sources ---------------------------------------------------------------------------------
_FIRST = [
    ("Serhiy", "Serhii", "Сергій"),
    ("Oleksandr", "Aleksandr", "Олександр"),
    ("Denis", "Denys", "Денис"),
    ("Yulia", "Iuliia", "Юлія"),
    ("Andriy", "Andrii", "Андрій"),
    ("Olena", "Elena", "Олена"),
    ("Vitaliy", "Vitalii", "Віталій"),
    ("Pavlo", "Pavel", "Павло"),
    ("Iryna", "Irina", "Ірина"),
    ("Mykola", "Nikolai", "Микола"),
    ("Yevhen", "Evgeny", "Євген"),
    ("Natalia", "Nataliya", "Наталія"),
    ("Roman", "Roman", "Роман"),
    ("Vadym", "Vadim", "Вадим"),
]
_LAST = [
    ("Hayday", "Haidai", "Гайдай"),
    ("Pushilin", "Pushylin", "Пушилін"),
    ("Kyrylenko", "Kirilenko", "Кириленко"),
    ("Shevchuk", "Shevchuk", "Шевчук"),
    ("Marchenko", "Marchenko", "Марченко"),
    ("Bondarenko", "Bondarenko", "Бондаренко"),
    ("Tkachenko", "Tkachenko", "Ткаченко"),
    ("Kovalenko", "Kovalenko", "Коваленко"),
    ("Lysenko", "Lisenko", "Лисенко"),
    ("Sydorenko", "Sidorenko", "Сидоренко"),
    ("Melnyk", "Melnik", "Мельник"),
    ("Hnatov", "Gnatov", "Гнатов"),
    ("Zhuravel", "Zhuravl", "Журавель"),
    ("Moroz", "Moroz", "Мороз"),
]
_ORGS = [
    ("CNN", "independent-media"),
    ("Suspilne", "ua-official"),
    ("BBC News", "independent-media"),
    ("Reuters", "independent-media"),
    ("Meduza", "independent-media"),
    ("TASS", "ru-official"),
    ("RIA Novosti", "ru-official"),
    ("Ukrinform", "ua-official"),
    ("Rybar", "ru-official"),
    ("DeepState", "independent-media"),
    ("Kyiv Independent", "independent-media"),
    ("General Staff of the Armed Forces of Ukraine", "ua-official"),
    ("Russian Ministry of Defence", "ru-official"),
    ("Residents of the district", "residents"),
    ("Local Telegram channel", "unknown"),
    ("Institute for the Study of War", "independent-media"),
]
_ROLES = {
    "ua-official": [
        "Head of the {region} regional military administration",
        "Spokesperson of the {region} operational command",
        "Mayor of {town}",
        "Member of the Verkhovna Rada from {region}",
    ],
    "ru-official": [
        "Head of the so-called administration of {region}",
        "Spokesperson of the Russian grouping in {region}",
        "Installed mayor of {town}",
    ],
    "independent-media": [
        "War correspondent covering {region}",
        "Open-source analyst",
        "Reporter based in {town}",
    ],
    "residents": ["Resident of {town}", "Volunteer driver in {region}"],
    "unknown": ["Anonymous channel posting about {region}", "Blogger"],
}
_ALIGNMENTS = [
    "ua-official",
    "ru-official",
    "independent-media",
    "residents",
    "unknown",
    "ua-official",
    "independent-media",
    "ru-official",
]
_RELIABILITY = ["A", "B", "B", "C", "C", "C", "D", "D", "E", "F"]

# --- claims ----------------------------------------------------------------------------------
_ACTORS = [
    "Ukrainian units",
    "Russian forces",
    "Allied militia",
    "Partisans",
    "Local officials",
    "Collaborators",
    "Territorial defence",
    "Engineering troops",
    "Artillery crews",
    "A reconnaissance group",
    "Marines",
    "Airborne units",
    "Volunteer battalions",
]
_ACTIONS = [
    "have reached the outskirts of",
    "withdrew from",
    "are shelling",
    "raised the flag over",
    "are evacuating",
    "mined the approaches to",
    "entered",
    "failed to hold",
    "are digging defensive lines near",
    "brought reinforcements to",
    "blew up the bridge at",
    "are running away in a hurry from",
    "took positions on the heights above",
    "restored power in",
    "opened a humanitarian corridor from",
]
_CLAUSES = [
    "according to residents who spoke by phone",
    "while lines of vehicles formed at the border crossing",
    "after several days of heavy fighting in the area",
    "although the claim could not be independently confirmed",
    "as supply routes along the main road came under fire",
    "with videos and photos said to prove it",
    "despite earlier statements to the contrary",
    "and the local administration has left the town",
    "as the front moved several kilometres east",
    "which would cut a key link in the supply lines",
    "but visual evidence cannot be shared for security reasons",
    "while officials urged the remaining civilians to leave",
    "as drones were seen over the railway station",
    "and checkpoints on the highway were abandoned overnight",
]
_QUOTES = [
    "The situation is pretty tough, just like in a number of settlements.",
    "There will be a lot of reconstruction work.",
    "The occupiers are running away in a hurry.",
    "Locals have videos and photos proving that.",
    "There is nowhere to hide, this is open rural countryside.",
    "We are in touch with the local administrations and with our units.",
    "Those who can leave are trying to reach the border.",
    "The flag is back over the town hall.",
    "Our positions are holding, the enemy is suffering losses.",
    "There is more information but I can not reveal it for now.",
    "Вони тікають, кидаючи техніку.",
    "Обстановка непростая, как и в ряде населённых пунктов.",
]
_VIAS = [
    "Telegram post",
    "Telegram channel",
    "Suspilne",
    "Channel 5",
    "CNN phone interview",
    "Facebook post",
    "press briefing",
    "TV interview",
    "X post",
    "regional administration website",
    "",
    "",
]
_TAGS = [
    "offensive",
    "withdrawal",
    "evacuation",
    "shelling",
    "exodus",
    "partisans",
    "supply-lines",
    "infrastructure",
    "casualties",
    "humanitarian",
    "flag",
    "border",
    "collaborators",
]
_STATUS_WEIGHTS = [
    ("unverified", 70),
    ("corroborated", 12),
    ("confirmed", 6),
    ("disputed", 8),
    ("false", 4),
]
_ANALYSTS = ["analyst", "olena", "mark", "desk-2", "night-shift"]
_HISTORY_NOTES = [
    "vehicle queues seen",
    "geolocated footage",
    "second source agrees",
    "contradicted by satellite imagery",
    "source retracted",
    "matches ISW map update",
    "only one channel repeats it",
    "photos are from 2014",
]
_CLAIM_NOTES = ["", "", "", "", "", "check against next day's map", "echo of an earlier post"]

_START = dt.date(2022, 2, 24)
_SPAN_DAYS = 900


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in " -" and out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _make_settlements(rng: random.Random, n_claims: int) -> list[dict[str, Any]]:
    """About 300 settlements: the seed report's towns, then composed names."""
    seen: set[str] = set()
    made: list[tuple[str, str, list[str], str, float | None, float | None]] = []
    for sid, name, alts, region, lat, lon in _REAL_SETTLEMENTS:
        seen.add(sid)
        made.append((sid, name, alts, region, lat, lon))
    while len(made) < N_SETTLEMENTS:
        p, r, s = rng.choice(_PREFIXES), rng.choice(_ROOTS), rng.choice(_SUFFIXES)
        ua = (p[0] + r[0] + s[0]).capitalize() if p[0] else r[0].capitalize() + s[0]
        sid = _slug(ua)
        if sid in seen:
            continue
        seen.add(sid)
        ru = (p[2] + r[2] + s[2]).capitalize() if p[2] else r[2].capitalize() + s[2]
        ua_cyr = (p[1] + r[1] + s[1]).capitalize() if p[1] else r[1].capitalize() + s[1]
        ru_cyr = (p[3] + r[3] + s[3]).capitalize() if p[3] else r[3].capitalize() + s[3]
        alts = [x for x in dict.fromkeys([ru, ua_cyr, ru_cyr]) if x != ua]
        if "'" in ua_cyr and rng.random() < 0.5:
            alts.insert(1, ua.replace("ia", "'ia"))
        region, la0, la1, lo0, lo1 = rng.choice(_REGIONS)
        if rng.random() < 0.9:
            lat: float | None = round(rng.uniform(la0, la1), 3)
            lon: float | None = round(rng.uniform(lo0, lo1), 3)
        else:
            lat = lon = None
        made.append((sid, ua, alts, region, lat, lon))

    out = []
    for sid, name, alts, region, lat, lon in made:
        rec: dict[str, Any] = {
            "id": sid,
            "name": name,
            "alt_names": alts,
            "region": region,
            "country": "UA",
        }
        if lat is not None:
            rec["lat"] = lat
            rec["lon"] = lon
        control = []
        day = rng.randrange(0, 120)
        for _ in range(rng.randint(1, 3)):
            d = (_START + dt.timedelta(days=day)).isoformat()
            prec = rng.random()
            as_of = d[:4] if prec < 0.05 else d[:7] if prec < 0.45 else d
            obs: dict[str, Any] = {"controller": rng.choice(_CONTROLLERS), "as_of": as_of}
            if n_claims and rng.random() < 0.4:
                obs["claim"] = _claim_id(rng.randrange(n_claims))
            obs["note"] = rng.choice(_CONTROL_NOTES)
            control.append(obs)
            day += rng.randrange(20, 300)
        rec["control"] = control
        rec["notes"] = ""
        rec["history"] = []
        out.append(rec)
    return out


def _make_sources(rng: random.Random, settlements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """50 sources: people with transliterated and Cyrillic aliases, and organisations."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for org, alignment in _ORGS:
        sid = _slug(org)
        seen.add(sid)
        out.append(
            _source(
                sid, org, [], "", alignment, rng.choice(_RELIABILITY), f"https://{sid}.example.org/"
            )
        )
    while len(out) < N_SOURCES:
        f, last = rng.choice(_FIRST), rng.choice(_LAST)
        sid = _slug(last[0]) if _slug(last[0]) not in seen else _slug(f"{f[0]} {last[0]}")
        if sid in seen:
            continue
        seen.add(sid)
        alignment = rng.choice(_ALIGNMENTS)
        town = rng.choice(settlements)
        role = rng.choice(_ROLES[alignment]).format(region=town["region"], town=town["name"])
        aliases = [f"{f[1]} {last[1]}", f"{f[2]} {last[2]}"]
        out.append(
            _source(
                sid, f"{f[0]} {last[0]}", aliases, role, alignment, rng.choice(_RELIABILITY), ""
            )
        )
    return out


def _source(
    sid: str, name: str, aliases: list[str], role: str, alignment: str, reliability: str, url: str
) -> dict[str, Any]:
    return {
        "id": sid,
        "name": name,
        "aliases": aliases,
        "role": role,
        "alignment": alignment,
        "reliability": reliability,
        "url": url,
        "notes": "",
        "history": [],
    }


def _claim_id(i: int) -> str:
    return f"c-{i + 1:06d}"


def _zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (k + 1) ** s for k in range(n)]


def _make_claims(
    rng: random.Random, n: int, settlements: list[dict[str, Any]], sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """N claims in roughly chronological order; refs point only to earlier claims."""
    sett_ids = [s["id"] for s in settlements]
    sett_names = [s["name"] for s in settlements]
    src_ids = [s["id"] for s in sources]
    # A few places and sources dominate the news, as they do in practice.
    sett_cum = list(_accumulate(_zipf_weights(len(sett_ids), 0.9)))
    src_cum = list(_accumulate(_zipf_weights(len(src_ids), 0.7)))
    days = [(_START + dt.timedelta(days=d)).isoformat() for d in range(_SPAN_DAYS + 400)]
    statuses = [s for s, _ in _STATUS_WEIGHTS]
    status_cum = list(_accumulate([w for _, w in _STATUS_WEIGHTS]))
    choices, rand, randrange, choice = rng.choices, rng.random, rng.randrange, rng.choice
    fill = _CLAUSES

    out: list[dict[str, Any]] = []
    for i in range(n):
        k = randrange(1, 4) if rand() < 0.35 else 1
        sidx = choices(range(len(sett_ids)), cum_weights=sett_cum, k=k)
        sidx = list(dict.fromkeys(sidx))
        src = choices(src_ids, cum_weights=src_cum)[0]

        place = sett_names[sidx[0]]
        text = f"{choice(_ACTORS)} {choice(_ACTIONS)} {place}"
        if len(sidx) > 1:
            text += " and " + ", ".join(sett_names[j] for j in sidx[1:])
        while len(text) < 170:
            text += ", " + choice(fill)
        text += "."

        day = int(i * _SPAN_DAYS / max(n, 1)) + randrange(0, 3)
        rday = days[day]
        p = rand()
        if p < 0.55:
            reported = rday
        elif p < 0.70:
            reported = rday[:7]
        else:
            reported = f"{rday}T{randrange(24):02d}:{randrange(60):02d}:00Z"
        p = rand()
        if p < 0.15:
            event = None
        else:
            eday = days[max(0, day - randrange(0, 4))]
            event = eday[:7] if p < 0.35 else eday

        status = choices(statuses, cum_weights=status_cum)[0]
        origin = None
        if i and rand() < 0.12:
            origin = _claim_id(randrange(max(0, i - 500), i)) if rand() < 0.6 else choice(src_ids)
        corroborates = []
        contradicts = []
        if i and rand() < 0.10:
            corroborates = [_claim_id(randrange(max(0, i - 2000), i))]
        if i and rand() < 0.05:
            contradicts = [_claim_id(randrange(max(0, i - 2000), i))]
        quote = choice(_QUOTES) if rand() < 0.3 else ""

        t0 = f"{days[day + randrange(0, 2)]}T{randrange(24):02d}:{randrange(60):02d}:00Z"
        history: list[dict[str, Any]] = [
            {
                "at": t0,
                "by": choice(_ANALYSTS),
                "field": "created",
                "from": None,
                "to": None,
                "note": None,
            },
        ]
        # Most claims are never touched after entry; a reviewed one gains one or two lines.
        later = days[day + randrange(1, 30)]
        if status != "unverified":
            history.append(
                {
                    "at": f"{later}T{randrange(24):02d}:{randrange(60):02d}:00Z",
                    "by": choice(_ANALYSTS),
                    "field": "status",
                    "from": "unverified",
                    "to": status,
                    "note": choice(_HISTORY_NOTES),
                }
            )
        elif rand() < 0.08:
            history.append(
                {
                    "at": f"{later}T{randrange(24):02d}:{randrange(60):02d}:00Z",
                    "by": choice(_ANALYSTS),
                    "field": "note",
                    "from": None,
                    "to": None,
                    "note": choice(_HISTORY_NOTES),
                }
            )
        cred = randrange(1, 7)
        if rand() < 0.08:
            old = 6 if cred != 6 else 3
            history.append(
                {
                    "at": f"{days[day + randrange(30, 60)]}T09:00:00Z",
                    "by": choice(_ANALYSTS),
                    "field": "credibility",
                    "from": old,
                    "to": cred,
                    "note": None,
                }
            )

        out.append(
            {
                "id": _claim_id(i),
                "text": text,
                "quote": quote,
                "source": src,
                "via": choice(_VIAS),
                "origin": origin,
                "settlements": [sett_ids[j] for j in sidx],
                "reported_at": reported,
                "event_at": event,
                "status": status,
                "credibility": cred,
                "against_interest": rand() < 0.05,
                "tags": choices(_TAGS, k=randrange(0, 3)) if rand() < 0.7 else [],
                "url": f"https://t.me/{src}/{100000 + i}" if rand() < 0.4 else "",
                "notes": choice(_CLAIM_NOTES),
                "corroborates": corroborates,
                "contradicts": contradicts,
                "history": history,
            }
        )
        if out[-1]["tags"]:
            out[-1]["tags"] = list(dict.fromkeys(out[-1]["tags"]))
    return out


def _accumulate(xs: list[float]) -> list[float]:
    total = 0.0
    acc = []
    for x in xs:
        total += x
        acc.append(total)
    return acc


def _table(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(i): rec for i, rec in enumerate(records, start=1)}


def generate(n_claims: int, seed: int = 0) -> dict[str, Any]:
    """Return a whole DB (table name -> doc id -> record) with ``n_claims`` claims."""
    rng = random.Random(seed)
    settlements = _make_settlements(rng, n_claims)
    sources = _make_sources(rng, settlements)
    claims = _make_claims(rng, n_claims, settlements, sources)
    return {
        "_meta": {"1": {"schema": 1}},
        "settlements": _table(settlements),
        "sources": _table(sources),
        "claims": _table(claims),
        "feeds": {},
    }


def dumps(data: dict[str, Any]) -> bytes:
    """Serialise as the store does: indent 2, UTF-8 unescaped, trailing newline."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def write(data: dict[str, Any], path: str | os.PathLike[str]) -> int:
    """Write ``data`` to ``path`` (via a temp file and rename); return the size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = dumps(data)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, path)
    return len(blob)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, required=True, help="number of claims")
    ap.add_argument("--out", required=True, help="file to write")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = ap.parse_args(argv)
    if args.claims < 0:
        ap.error("--claims must be >= 0")
    t0 = time.perf_counter()
    data = generate(args.claims, seed=args.seed)
    t1 = time.perf_counter()
    size = write(data, args.out)
    t2 = time.perf_counter()
    print(
        f"{args.out}: {args.claims} claims, {len(data['settlements'])} settlements, "
        f"{len(data['sources'])} sources, {size / 1e6:.1f} MB "
        f"(generate {t1 - t0:.2f} s, write {t2 - t1:.2f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
