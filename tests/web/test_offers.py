"""Employers create, validate, edit and move their traineeship offers through the life cycle."""

import re

import pytest
from sqlmodel import func, select

from domain.tables import Occupation, Offer, OfferLanguage, OfferSkill, Skill
from seed.builders import make_offer
from tests.conftest import csrf_of
from tests.web.support import (
    error_of,
    fresh_offer,
    input_value,
    offer_form,
    offer_id_from,
    selected_option,
)

HX = {"HX-Request": "true"}


def offers_of(session, organisation_id) -> int:
    return session.exec(select(func.count()).select_from(Offer).where(Offer.organisation_id == organisation_id)).one()


def some_skills(session, n=2) -> list[Skill]:
    return session.exec(select(Skill).order_by(Skill.uri).limit(n)).all()


def checked_type(html: str) -> str | None:
    match = re.search(r'<input type="radio" name="type" value="([a-z_]+)" checked', html)
    return match.group(1) if match else None


# --- the form --------------------------------------------------------------------------------------

def test_new_offer_form(employer_client):
    page = employer_client.get("/offers/new")
    assert page.status_code == 200
    assert "New traineeship offer" in page.text
    for key in ("getting_to_know", "paid_traineeship", "work_based_training"):
        assert f'name="type" value="{key}"' in page.text
    assert "A paid traineeship lasts 4 to 26 weeks." in page.text  # the limits are shown up front


def test_create_a_paid_traineeship(employer_client, employer, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(token), follow_redirects=False)

    offer = fresh_offer(session, offer_id_from(response))
    assert offer.organisation_id == employer.organisation_id
    assert (offer.type, offer.status) == ("paid_traineeship", "draft")
    assert (offer.duration_value, offer.duration_unit, offer.monthly_pay_eur) == (12, "weeks", 1850)
    assert (offer.postcode, offer.municipality, offer.region) == ("9000", "Gent", "flanders")
    assert (offer.days_per_week, offer.hours_per_week, offer.places, offer.sector) == (4, 30, 2, "Q")
    assert offer.education_min == "bachelor" and offer.field_of_study == "Biomedical science"
    assert offer.followup_contract_months is None
    languages = session.exec(select(OfferLanguage).where(OfferLanguage.offer_id == offer.id)).all()
    assert [(lang.language, lang.min_level) for lang in languages] == [("nl", "B1")]

    detail = employer_client.get(response.headers["location"])
    assert detail.status_code == 200
    assert "Trainee lab technician" in detail.text
    assert "Paid traineeship (BIO)" in detail.text
    assert "€ 1850" in detail.text and "9000 Gent" in detail.text
    assert "Draft" in detail.text
    assert "Trainee lab technician" in employer_client.get("/offers").text  # and it is on the list


def test_create_a_getting_to_know_traineeship(employer_client, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, type="getting_to_know", title="Meet the kitchen team", duration_value="5", monthly_pay_eur="",
        days_per_week="1", hours_per_week="8", places="1"), follow_redirects=False)

    offer = fresh_offer(session, offer_id_from(response))
    assert (offer.type, offer.duration_value, offer.duration_unit) == ("getting_to_know", 5, "days")
    assert offer.monthly_pay_eur is None
    assert (offer.days_per_week, offer.hours_per_week) == (1, 8)  # one day a week is expressible
    assert "Getting-to-know traineeship" in employer_client.get(response.headers["location"]).text


def test_create_a_work_based_training_with_a_contract_afterwards(employer_client, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, type="work_based_training", title="Warehouse operator (IBO)", duration_value="10",
        monthly_pay_eur="", followup_contract_months="12", sector="H"), follow_redirects=False)

    offer = fresh_offer(session, offer_id_from(response))
    assert (offer.type, offer.duration_value, offer.duration_unit) == ("work_based_training", 10, "weeks")
    assert (offer.followup_contract_months, offer.followup_open_ended) == (12, False)
    assert offer.monthly_pay_eur is None
    detail = employer_client.get(response.headers["location"]).text
    assert "Work-based training (IBO)" in detail and "12 months" in detail


def test_create_a_work_based_training_with_an_open_ended_contract(employer_client, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, type="work_based_training", duration_value="26", monthly_pay_eur="", followup_open_ended="1"),
        follow_redirects=False)
    offer = fresh_offer(session, offer_id_from(response))
    assert (offer.followup_open_ended, offer.followup_contract_months) == (True, None)
    assert "Open-ended" in employer_client.get(response.headers["location"]).text


def test_paid_traineeship_of_3_weeks_and_letters_in_hours_are_shown_with_what_was_typed(
        employer_client, employer, session):
    before = offers_of(session, employer.organisation_id)
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, title="Three-week try-out", duration_value="3", hours_per_week="thirty"))

    assert response.status_code == 422
    assert error_of(response.text, "duration_value") == "A paid traineeship lasts 4 to 26 weeks."
    assert error_of(response.text, "hours_per_week") == "Enter a whole number."
    assert 'role="alert"' in response.text
    assert input_value(response.text, "title") == "Three-week try-out"
    assert input_value(response.text, "duration_value") == "3"
    assert input_value(response.text, "hours_per_week") == "thirty"
    assert input_value(response.text, "monthly_pay_eur") == "1850"
    assert checked_type(response.text) == "paid_traineeship"
    assert selected_option(response.text, "sector") == "Q"
    assert selected_option(response.text, "language_nl") == "B1"
    assert offers_of(session, employer.organisation_id) == before


@pytest.mark.parametrize("overrides,field,message", [
    ({"type": "getting_to_know", "duration_value": "31", "monthly_pay_eur": ""}, "duration_value",
     "A getting-to-know traineeship lasts 1 to 30 days."),
    ({"type": "work_based_training", "duration_value": "27", "followup_contract_months": "12"}, "duration_value",
     "A work-based training lasts 1 to 26 weeks."),
    ({"monthly_pay_eur": ""}, "monthly_pay_eur", "A paid traineeship needs a gross monthly amount."),
    ({"type": "work_based_training", "duration_value": "8", "followup_contract_months": "3"},
     "followup_contract_months", "at least 6 months"),
    ({"type": "work_based_training", "duration_value": "8"}, "followup_contract_months", "commits you to hire"),
    ({"postcode": "9999"}, "postcode", "9999 is not a Belgian postcode we know."),
    ({"title": ""}, "title", "This field is required."),
    ({"type": None}, "type", "This field is required."),
    ({"places": "0"}, "places", "between 1 and 50"),
    ({"days_per_week": "6"}, "days_per_week", "1 to 5 days"),
    ({"remote_days": "4", "days_per_week": "4"}, "remote_days", "at least one day"),
    ({"start_from": "2030-05-01", "start_until": "2030-04-01"}, "start_until", "ends before it begins"),
    ({"start_from": "next week"}, "start_from", "YYYY-MM-DD"),
    ({"type": "internship"}, "type", "Choose an option from the list."),
])
def test_each_broken_rule_is_shown_next_to_its_field(employer_client, employer, session, overrides, field, message):
    before = offers_of(session, employer.organisation_id)
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(token, **overrides))
    assert response.status_code == 422
    assert message in error_of(response.text, field)
    assert offers_of(session, employer.organisation_id) == before


def test_an_empty_form_lists_what_is_required(employer_client):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data={"csrf_token": token})
    assert response.status_code == 422
    for field in ("title", "type", "postcode", "days_per_week", "hours_per_week", "sector"):
        assert error_of(response.text, field) == "This field is required.", field
    assert "things to fix before you can save" in response.text


# --- inline validation -----------------------------------------------------------------------------

def test_validate_returns_out_of_band_errors_and_hides_required_messages(employer_client):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers/validate", headers={**HX, "X-CSRF-Token": token}, data={
        "type": "paid_traineeship", "duration_value": "3", "hours_per_week": "abc", "title": ""})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="offer-form-status"' in response.text
    oob = dict(re.findall(r'<p class="field-error" id="error-([a-z_]+)" hx-swap-oob="true"[^>]*>(.*?)</p>',
                          response.text, re.S))
    assert oob["duration_value"] == "A paid traineeship lasts 4 to 26 weeks."
    assert oob["hours_per_week"] == "Enter a whole number."
    # Required fields not filled in yet stay quiet, but their element is there to be cleared.
    for field in ("title", "postcode", "sector", "days_per_week", "monthly_pay_eur"):
        assert oob[field] == "", field
    assert "This field is required." not in response.text
    assert "needs a gross monthly amount" not in response.text


def test_validate_of_a_valid_form_clears_every_message(employer_client):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers/validate", headers={**HX, "X-CSRF-Token": token},
                                    data=offer_form(token))
    assert response.status_code == 200
    oob = re.findall(r'id="error-([a-z_]+)" hx-swap-oob="true"[^>]*>(.*?)</p>', response.text, re.S)
    assert oob and all(message == "" for _field, message in oob)
    assert 'role="alert"' not in response.text


def test_validate_creates_nothing(employer_client, employer, session):
    before = offers_of(session, employer.organisation_id)
    token = csrf_of(employer_client, "/offers/new")
    employer_client.post("/offers/validate", headers={**HX, "X-CSRF-Token": token}, data=offer_form(token))
    assert offers_of(session, employer.organisation_id) == before


# --- editing ---------------------------------------------------------------------------------------

def test_edit_form_shows_the_saved_offer(employer_client, employer, session):
    offer_id = make_offer(session, employer, title="Ward assistant", monthly_pay_eur=1700)
    session.flush()
    page = employer_client.get(f"/offers/{offer_id}/edit")
    assert page.status_code == 200
    assert "Edit offer" in page.text
    assert input_value(page.text, "title") == "Ward assistant"
    assert input_value(page.text, "monthly_pay_eur") == "1700"
    assert checked_type(page.text) == "paid_traineeship"
    assert selected_option(page.text, "language_nl") == "B1"
    assert f'action="http://testserver/offers/{offer_id}/edit"' in page.text


def test_edit_an_offer(employer_client, employer, session):
    offer_id = make_offer(session, employer, title="Ward assistant")
    session.flush()
    token = csrf_of(employer_client, f"/offers/{offer_id}/edit")
    response = employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(
        token, title="Senior ward assistant", duration_value="20", postcode="1000", language_fr="B2"),
        follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/offers/{offer_id}")
    offer = fresh_offer(session, offer_id)
    assert (offer.title, offer.duration_value, offer.municipality) == ("Senior ward assistant", 20, "Brussel")
    languages = session.exec(select(OfferLanguage).where(OfferLanguage.offer_id == offer_id)
                             .order_by(OfferLanguage.language)).all()
    assert [(lang.language, lang.min_level) for lang in languages] == [("fr", "B2"), ("nl", "B1")]
    assert offers_of(session, employer.organisation_id) == 1  # edited, not copied
    assert "Senior ward assistant" in employer_client.get(f"/offers/{offer_id}").text


def test_an_invalid_edit_keeps_the_saved_offer(employer_client, employer, session):
    offer_id = make_offer(session, employer, title="Ward assistant")
    session.flush()
    token = csrf_of(employer_client, f"/offers/{offer_id}/edit")
    response = employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(
        token, title="Renamed", duration_value="40"))
    assert response.status_code == 422
    assert error_of(response.text, "duration_value") == "A paid traineeship lasts 4 to 26 weeks."
    assert input_value(response.text, "title") == "Renamed"
    offer = fresh_offer(session, offer_id)
    assert (offer.title, offer.duration_value) == ("Ward assistant", 12)


def test_a_published_offer_can_still_be_edited(employer_client, employer, session):
    offer_id = make_offer(session, employer, publish=True)
    session.flush()
    token = csrf_of(employer_client, f"/offers/{offer_id}/edit")
    response = employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(token, places="3"),
                                    follow_redirects=False)
    assert response.status_code == 303
    offer = fresh_offer(session, offer_id)
    assert (offer.places, offer.status) == (3, "published")


# --- status changes --------------------------------------------------------------------------------

def act(client, offer_id, action, htmx=True):
    token = csrf_of(client, f"/offers/{offer_id}")
    if htmx:
        return client.post(f"/offers/{offer_id}/{action}", headers={**HX, "X-CSRF-Token": token})
    return client.post(f"/offers/{offer_id}/{action}", data={"csrf_token": token})


def status_shown(html: str) -> str:
    match = re.search(r'<span class="status status-([a-z]+)">', html)
    assert match, "no status on the page"
    return match.group(1)


def test_publish_pause_publish_close(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()

    for action, expected in [("publish", "published"), ("pause", "paused"), ("publish", "published"),
                             ("close", "closed")]:
        response = act(employer_client, offer_id, action)
        assert response.status_code == 200, action
        assert response.text.lstrip().startswith('<section id="offer-status"'), action
        assert "<html" not in response.text
        assert status_shown(response.text) == expected
        assert fresh_offer(session, offer_id).status == expected

    offer = fresh_offer(session, offer_id)
    assert offer.published_at is not None
    closed = employer_client.get(f"/offers/{offer_id}").text
    assert "Closed" in closed
    assert f"/offers/{offer_id}/publish" not in closed and f"/offers/{offer_id}/edit" not in closed


def test_buttons_offer_only_the_allowed_actions(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()
    draft = employer_client.get(f"/offers/{offer_id}").text
    assert f"/offers/{offer_id}/publish" in draft and f"/offers/{offer_id}/close" in draft
    assert f"/offers/{offer_id}/pause" not in draft
    published = act(employer_client, offer_id, "publish").text
    assert f"/offers/{offer_id}/pause" in published and f"/offers/{offer_id}/close" in published
    assert f"/offers/{offer_id}/publish" not in published


def test_a_normal_post_of_an_action_gets_the_whole_page(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()
    response = act(employer_client, offer_id, "publish", htmx=False)
    assert response.status_code == 200
    assert "<html" in response.text
    assert fresh_offer(session, offer_id).status == "published"


@pytest.mark.parametrize("setup,action", [
    ([], "pause"),                                        # pause a draft
    (["publish"], "publish"),                             # publish twice
    (["publish", "pause"], "pause"),                      # pause twice
    (["close"], "publish"), (["close"], "pause"), (["close"], "close"),   # anything after close
    (["publish", "close"], "publish"),
])
def test_a_forbidden_action_is_refused_and_the_status_stays(employer_client, employer, session, setup, action):
    offer_id = make_offer(session, employer)
    session.flush()
    for step in setup:
        assert act(employer_client, offer_id, step).status_code == 200
    before = fresh_offer(session, offer_id).status

    response = act(employer_client, offer_id, action)

    assert response.status_code == 403
    assert "Not allowed" in response.text and "Traceback" not in response.text
    assert fresh_offer(session, offer_id).status == before


@pytest.mark.parametrize("action", ["fill", "delete"])  # the system fills, not the employer; no delete
def test_actions_that_are_not_the_employers_do_not_exist(employer_client, employer, session, action):
    offer_id = make_offer(session, employer, publish=True)
    session.flush()
    response = act(employer_client, offer_id, action)
    assert response.status_code == 404 and "Traceback" not in response.text
    assert fresh_offer(session, offer_id).status == "published"


def test_a_closed_offer_cannot_be_edited(employer_client, employer, session):
    offer_id = make_offer(session, employer, title="Final")
    session.flush()
    act(employer_client, offer_id, "close")
    token = csrf_of(employer_client, f"/offers/{offer_id}")
    response = employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(token, title="Reopened?"))
    assert response.status_code == 403
    assert fresh_offer(session, offer_id).title == "Final"


def test_the_edit_form_of_a_closed_offer_is_refused(employer_client, employer, session):
    offer_id = make_offer(session, employer, title="Final")
    session.flush()
    act(employer_client, offer_id, "close")
    response = employer_client.get(f"/offers/{offer_id}/edit")
    assert response.status_code == 403, (
        f"GET /offers/{offer_id}/edit of a closed offer answers {response.status_code} with an editable form; "
        "saving it is then refused with 403 (closing is final)")


# --- skills and occupation -------------------------------------------------------------------------

def test_skills_picked_by_uri_are_saved_essential_or_optional(employer_client, session):
    first, second = some_skills(session)
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, skill=[first.uri, second.uri], skill_essential=["1", "0"]), follow_redirects=False)

    offer_id = offer_id_from(response)
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer_id).order_by(OfferSkill.position)).all()
    assert [(r.skill_uri, r.essential) for r in rows] == [(first.uri, True), (second.uri, False)]

    detail = employer_client.get(f"/offers/{offer_id}").text
    assert re.search(r'class="tag essential">essential</span>\s*' + re.escape(first.labels["en"]), detail)
    assert re.search(r'class="tag optional">optional</span>\s*' + re.escape(second.labels["en"]), detail)

    edit = employer_client.get(f"/offers/{offer_id}/edit").text  # and the edit form shows them again
    assert f'name="skill" value="{first.uri}"' in edit and f'name="skill" value="{second.uri}"' in edit


def test_skills_can_be_changed_when_editing(employer_client, employer, session):
    first, second = some_skills(session)
    offer_id = make_offer(session, employer, skills=[(first.uri, True)])
    session.flush()
    token = csrf_of(employer_client, f"/offers/{offer_id}/edit")
    employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(
        token, skill=[second.uri, first.uri], skill_essential=["1", "0"]), follow_redirects=False)
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer_id).order_by(OfferSkill.position)).all()
    assert [(r.skill_uri, r.essential) for r in rows] == [(second.uri, True), (first.uri, False)]


def test_an_unknown_skill_uri_is_refused(employer_client, employer, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, skill=["http://data.europa.eu/esco/skill/not-a-skill"], skill_essential=["1"]))
    assert response.status_code == 422
    assert "not in the ESCO list" in error_of(response.text, "skills")
    assert offers_of(session, employer.organisation_id) == 0


def test_the_same_skill_twice_is_refused(employer_client, session):
    first, _ = some_skills(session)
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, skill=[first.uri, first.uri], skill_essential=["1", "0"]))
    assert response.status_code == 422
    assert "only once" in error_of(response.text, "skills")
    assert f'name="skill" value="{first.uri}"' in response.text  # the chosen skill stays chosen


def test_an_occupation_picked_by_uri_is_saved(employer_client, session):
    occupation = session.exec(select(Occupation).order_by(Occupation.uri)).first()
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(token, occupation_uri=occupation.uri),
                                    follow_redirects=False)
    offer_id = offer_id_from(response)
    assert fresh_offer(session, offer_id).occupation_uri == occupation.uri
    assert occupation.labels["en"] in employer_client.get(f"/offers/{offer_id}").text


def test_an_unknown_occupation_is_refused(employer_client):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(token, occupation_uri="http://example.org/x"))
    assert response.status_code == 422
    assert error_of(response.text, "occupation_uri") == "Pick an occupation from the list."


def test_user_text_is_escaped(employer_client, session):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(
        token, title="<script>alert(1)</script>", description="<b>bold</b>"), follow_redirects=False)
    detail = employer_client.get(response.headers["location"]).text
    assert "<script>alert(1)</script>" not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "<b>bold</b>" not in detail


def test_validate_without_htmx_does_not_crash(employer_client):
    """The inline-validation URL posted without HX-Request (no JavaScript, history restore)."""
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers/validate", data=offer_form(token, duration_value="3"))
    assert response.status_code != 500, "POST /offers/validate without HX-Request answers 500 (UndefinedError)"


def test_an_offer_keeps_the_ticked_skills_of_its_occupation(employer_client, session):
    """Occupation first: the ticked checklist items become the offer's skills, a skill chosen twice counts once."""
    from domain.reference import esco_occupations
    baker = esco_occupations()["http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"]
    essential, optional = baker.essential[:3], baker.optional[:1]
    token = csrf_of(employer_client, "/offers/new")
    form = offer_form(token, occupation_uri=baker.uri)
    form["skill"] = [essential[0]]
    form["skill_essential"] = ["0"]  # chosen by hand as optional: the hand-made choice wins
    form["suggested_skill"] = [f"{u}|1" for u in essential] + [f"{u}|0" for u in optional]
    response = employer_client.post("/offers", data=form, follow_redirects=False)
    offer = fresh_offer(session, offer_id_from(response))
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer.id)).all()
    assert {(r.skill_uri, r.essential) for r in rows} == {
        (essential[0], False), (essential[1], True), (essential[2], True), (optional[0], False)}
    assert offer.occupation_uri == baker.uri


@pytest.mark.parametrize("typed, postcode, municipality", [("Gand", "9000", "Gent"), ("Bruxelles", "1000", "Brussel"),
                                                           ("Courtrai", "8500", "Kortrijk")])
def test_the_place_of_work_can_be_typed_in_french_or_dutch(employer_client, session, typed, postcode, municipality):
    token = csrf_of(employer_client, "/offers/new")
    response = employer_client.post("/offers", data=offer_form(token, postcode=typed), follow_redirects=False)
    offer = fresh_offer(session, offer_id_from(response))
    assert (offer.postcode, offer.municipality) == (postcode, municipality)
