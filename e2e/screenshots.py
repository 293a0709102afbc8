"""Screenshots of every page of every role, at 390 and 1280 px, for review (output is not committed).

    .venv/bin/python -m e2e.screenshots [--out var/screenshots] [--lang nl fr en] [--only coach]

Starts its own server with the demo data on a free port; writes ``<lang>/<width>/<role>__<page>.png``.
"""

import argparse
import re
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from e2e.demo_server import demo_server
from e2e.site_pages import PUBLIC, ROLES, crawl, find_mentor_link, log_in, pattern

WIDTHS = (390, 1280)


def _name(role: str, path: str) -> str:
    return f"{role}__{re.sub(r'[^a-z0-9]+', '-', pattern(path).lower()).strip('-') or 'home'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--lang", nargs="+", default=["nl", "fr"])
    parser.add_argument("--only", nargs="*", help="roles to take (public, mentor and the demo roles)")
    args = parser.parse_args()
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as data, demo_server(Path(data), operator_name="Stad Gent",
                                                            operator_url="https://stad.gent") as base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        roles = {"public": None, **ROLES, "mentor": None}
        pages: dict[str, list[str]] = {"public": PUBLIC}
        for role, email in ROLES.items():
            if args.only and role not in args.only and not (role == "admin" and "mentor" in args.only):
                continue
            context = browser.new_context()
            page = context.new_page()
            log_in(page, base, email)
            pages[role] = crawl(page, base)
            if role == "admin":
                pages["mentor"] = [find_mentor_link(page, base)]
            context.close()
        for lang in args.lang:
            for width in WIDTHS:
                for role in roles:
                    if role not in pages or (args.only and role not in args.only):
                        continue
                    context = browser.new_context(viewport={"width": width, "height": 900})
                    context.add_cookies([{"name": "opstap_lang", "value": lang, "url": base}])
                    page = context.new_page()
                    if role in ROLES:
                        log_in(page, base, ROLES[role])
                    folder = out / lang / str(width)
                    folder.mkdir(parents=True, exist_ok=True)
                    for path in pages[role]:
                        page.goto(base + path)
                        page.screenshot(path=str(folder / f"{_name(role, path)}.png"), full_page=True)
                    context.close()
                    print(f"{lang} {width}px {role}: {len(pages[role])} pages")
        browser.close()


if __name__ == "__main__":
    main()
