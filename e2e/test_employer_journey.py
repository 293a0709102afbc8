"""An employer signs up, creates a paid traineeship, fixes an inline error, publishes it."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible


def test_employer_signs_up_and_publishes_a_paid_traineeship(page: Page, axe, tmp_path):
    page.goto("/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Sign up as employer").first.click()
    page.get_by_label("Organisation name").fill("Zorghuis Aurora")
    page.get_by_label("Your name").fill("Lotte Maes")
    page.get_by_label("Work e-mail address").fill("lotte@aurora.example.be")
    page.get_by_label("Password").fill("a-long-password")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Organisation profile")).to_be_visible()
    page.get_by_label("Sector").select_option("Q")
    page.get_by_label("Postcode").fill("9000")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_text("Gent")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    page.get_by_role("link", name="New offer").click()
    page.get_by_text("Paid traineeship (BIO)").click()
    page.get_by_label("Title").fill("Trainee nurse on the geriatric ward")
    page.get_by_label("Duration").fill("3")
    page.get_by_label("Duration").blur()
    duration_error = page.locator("#error-duration_value")
    expect(duration_error).to_have_text("A paid traineeship lasts 4 to 26 weeks.")
    page.screenshot(path=str(tmp_path / "inline-error.png"), full_page=True)

    page.get_by_label("Duration").fill("8")
    page.get_by_label("Duration").blur()
    expect(duration_error).to_be_empty()
    page.get_by_label("Gross monthly amount (euro)").fill("1850")
    page.get_by_label("Number of places").fill("2")
    page.locator("#f-sector").select_option("Q")
    page.get_by_label("Add skills").fill("python")
    page.get_by_role("button", name=re.compile(r"^\+ ")).first.click()
    expect(page.locator("#chosen-skills li")).to_have_count(1)
    page.get_by_label("Dutch").select_option("B1")
    page.get_by_label("Postcode of the workplace").fill("9000")
    expect(page.locator("#postcode-place")).to_have_text("Gent")
    page.get_by_role("textbox", name="Days a week", exact=True).fill("4")
    page.get_by_label("Hours a week").fill("30")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", name="Trainee nurse on the geriatric ward")).to_be_visible()
    expect(page.locator("#offer-status")).to_contain_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#offer-status")).to_contain_text("Published")
    assert_accessible(axe, page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    row = page.get_by_role("row", name=re.compile("Trainee nurse on the geriatric ward"))
    expect(row).to_contain_text("Published")
    expect(row).to_contain_text("Gent")
    assert_accessible(axe, page)
