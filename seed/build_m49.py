"""Build ``seed/data/m49.json``: each country (ISO 3166 alpha-2) to its UN M49 sub-region (issue 17).

Source: Unicode CLDR's territory containment (``supplementalData.xml``, "based on UN data", the M49 standard), as
the Debian package ``unicode-cldr-core`` installs it. Babel ships CLDR's region *names* in every language
(``Locale('nl').territories['145']``) but not the containment, so the containment is built into a data file here
and read at run time by ``domain/reference.py``. Run: ``python -m seed.build_m49 [path/to/supplementalData.xml]``.
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CLDR_SUPPLEMENTAL = Path("/usr/share/unicode/cldr/common/supplemental/supplementalData.xml")
OUT = Path(__file__).resolve().parent / "data" / "m49.json"


def sub_regions(xml_path: Path) -> dict[str, str]:
    """{country: sub-region} from the current (not deprecated, not grouping) numeric groups that
    contain countries directly."""
    root = ET.parse(xml_path).getroot()
    mapping: dict[str, str] = {}
    for group in root.iter("group"):
        code, status = group.get("type", ""), group.get("status")
        if not code.isdigit() or status in ("deprecated", "grouping"):
            continue
        for member in group.get("contains", "").split():
            if len(member) == 2 and member.isalpha():
                mapping[member] = code
    return dict(sorted(mapping.items()))


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else CLDR_SUPPLEMENTAL
    mapping = sub_regions(source)
    OUT.write_text(json.dumps({"source": "Unicode CLDR territoryContainment (UN M49)", "sub_region": mapping}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(mapping)} countries in {len(set(mapping.values()))} sub-regions -> {OUT}")


if __name__ == "__main__":
    main()
