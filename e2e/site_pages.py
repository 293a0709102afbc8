"""Every page of every role in the demo data, found the way a user finds them: by following links.

Shared by the all-pages test (e2e/test_all_pages.py) and the screenshot script (e2e/screenshots.py).
Pages are grouped by route pattern (``/offers/12`` and ``/offers/13`` are one page), so each screen is
visited once per role, whatever the demo data holds; new pages linked from anywhere are found too.
"""

import re
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Page

from seed.builders import DEFAULT_PASSWORD

ROLES = {
    "employer": "employer@demo.opstap.be",
    "employer-noord": "hr@zorgnet-noord.demo.opstap.be",
    "coach": "coach@demo.opstap.be",
    "network": "network@demo.opstap.be",
    "admin": "admin@demo.opstap.be",
    "candidate-placed": "amina.rahimi@mail.demo.opstap.be",
    "candidate-asked": "yonas.tesfaye@mail.demo.opstap.be",
}
PUBLIC = ["/", "/login", "/signup", "/login/link", "/about/privacy", "/about/accessibility", "/about/cookies",
          "/about/contact", "/no-such-page"]
SKIP = re.compile(r"^/(static|api)/|\.(csv|json)$|^/logout$|^/favicon")
MAX_PAGES = 60


def pattern(path: str) -> str:
    """``/offers/12/matches`` -> ``/offers/{id}/matches``; long tokens -> ``{token}``."""
    parts = []
    for part in path.split("/"):
        if part.isdigit():
            parts.append("{id}")
        elif len(part) > 24:
            parts.append("{token}")
        else:
            parts.append(part)
    return "/".join(parts)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login" not in url)


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def crawl(page: Page, base_url: str, start: str = "/") -> list[str]:
    """Paths of one page per route pattern reachable by links from ``start`` (breadth first)."""
    origin = urlsplit(base_url).netloc
    queue, seen_patterns, found = [start], set(), []
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        key = pattern(path)
        if key in seen_patterns or (path in PUBLIC and path != start):
            continue
        seen_patterns.add(key)
        response = page.goto(base_url + path)
        if response is None or response.status >= 400 or urlsplit(page.url).path != path:
            continue  # a redirect or an error: the target is visited on its own
        found.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urlsplit(urljoin(page.url, href))
            if url.netloc != origin or SKIP.search(url.path) or pattern(url.path) in seen_patterns:
                continue
            queue.append(url.path)
    return found


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def find_mentor_link(page: Page, base_url: str) -> str:
    """The workplace mentor's page has no login: its signed link is in the nomination e-mail (admin's mailbox)."""
    page.goto(f"{base_url}/admin/mailbox")
    mails = page.eval_on_selector_all("main a[href*='/admin/mailbox/']", "els => els.map(e => e.href)")
    for href in mails:
        page.goto(href)
        links = page.eval_on_selector_all("main a[href*='/mentor/']", "els => els.map(e => e.href)")
        if links:
            return urlsplit(links[0]).path
    raise AssertionError("no mentor link in the demo mailbox")
