"""Every page of every role (demo data), on a phone (390 px) and a desktop (1280 px): no sideways
scrolling, axe-core finds nothing, and the page says what it is in an <h1>."""

import pytest
from playwright.sync_api import Browser

from e2e.demo_server import demo_server
from e2e.site_pages import PUBLIC, ROLES, crawl, find_mentor_link, log_in, overflow

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("all-pages"), operator_name="Opstap test operator",
                     operator_url="https://example.org/opstap") as url:
        yield url


@pytest.fixture(scope="module")
def pages_by_role(demo_url, browser: Browser) -> dict[str, list[str]]:
    """Found once, at desktop width, by following links as each role."""
    found = {"public": PUBLIC}
    for role, email in ROLES.items():
        context = browser.new_context()
        page = context.new_page()
        log_in(page, demo_url, email)
        found[role] = crawl(page, demo_url)
        if role == "admin":
            found["mentor"] = [find_mentor_link(page, demo_url)]
        context.close()
    return found


def _check(page, axe_runner) -> list[str]:
    problems = []
    if overflow(page) > 0:
        problems.append(f"scrolls sideways by {overflow(page)} px")
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} <h1> elements")
    violations = axe_runner.run(page).response["violations"]
    problems += [f"axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    return problems


def test_the_crawl_reaches_every_role_s_screens(pages_by_role):
    """A guard on the crawl itself: the pages each role is known to have are among those visited."""
    expected = {
        "employer": ["/offers", "/offers/new", "/offers/{id}", "/offers/{id}/edit", "/offers/{id}/matches",
                     "/offers/{id}/interest", "/organisation", "/organisation/engagement", "/placements",
                     "/placements/{id}", "/notifications", "/account/tokens", "/account/language", "/offers/import"],
        "coach": ["/candidates", "/candidates/new", "/candidates/import", "/candidates/{id}", "/candidates/{id}/offers",
                  "/candidates/{id}/profile", "/candidates/{id}/identity", "/interest-requests", "/offers/{id}/matches",
                  "/placements/{id}"],
        "network": ["/network/employers", "/network/employers/{id}", "/network/dashboard"],
        "admin": ["/admin/mailbox", "/admin/mailbox/{id}", "/admin/organisations", "/admin/users", "/admin/programmes",
                  "/admin/programmes/{id}"],
        "candidate-asked": ["/me", "/me/requests/{id}", "/me/password", "/me/erase", "/me/profile"],
    }
    from e2e.site_pages import pattern
    for role, patterns in expected.items():
        visited = {pattern(p) for p in pages_by_role[role]}
        assert set(patterns) <= visited, f"{role} misses {set(patterns) - visited}"
    assert pages_by_role["mentor"][0].startswith("/mentor/")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["public", *ROLES, "mentor"])
def test_every_page_fits_is_accessible_and_has_a_heading(browser: Browser, demo_url, pages_by_role, axe, role,
                                                         width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    if role in ROLES:
        log_in(page, demo_url, ROLES[role])
    failures = {}
    for path in pages_by_role[role]:
        page.goto(demo_url + path)
        problems = _check(page, axe)
        if problems:
            failures[path] = problems
    context.close()
    assert not failures, "\n".join(f"{path}: {'; '.join(p)}" for path, p in failures.items())
