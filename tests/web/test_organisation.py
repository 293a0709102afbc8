"""The employer edits the organisation profile (page and htmx fragment)."""

import pytest

from domain.accounts import Role
from seed.builders import make_user
from tests.conftest import csrf_of, log_in
from tests.web.support import error_of, fresh_organisation, input_value, selected_option

HX = {"HX-Request": "true"}


def profile_form(token, **overrides):
    form = {"csrf_token": token, "name": "Ziekenhuis Oost", "sector": "P", "postcode": "2000", "size": "250+",
            "workplace_languages": ["nl", "en", "ar"], "engagement_statement": "We train newcomers as lab staff.",
            "in_directory": "1"}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_profile_page_shows_the_saved_profile(employer_client):
    page = employer_client.get("/organisation")
    assert page.status_code == 200
    assert "<html" in page.text
    assert input_value(page.text, "name") == "Ziekenhuis Oost"
    assert selected_option(page.text, "sector") == "Q"
    assert input_value(page.text, "postcode") == "9000"
    assert "Municipality: Gent" in page.text
    assert 'value="nl" checked' in page.text


def test_saving_the_profile_stores_every_field_and_looks_up_the_municipality(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token), headers=HX)

    assert response.status_code == 200
    assert "Profile saved." in response.text
    assert "Municipality: Antwerpen" in response.text
    organisation = fresh_organisation(session, employer.organisation_id)
    assert organisation.sector == "P"
    assert (organisation.postcode, organisation.municipality, organisation.region) == ("2000", "Antwerpen", "flanders")
    assert organisation.size == "250+"
    assert organisation.workplace_languages == ["nl", "en", "ar"]
    assert organisation.engagement_statement == "We train newcomers as lab staff."
    assert organisation.in_directory is True

    page = employer_client.get("/organisation")  # and it is what the page shows next time
    assert selected_option(page.text, "sector") == "P"
    assert selected_option(page.text, "size") == "250+"
    assert "We train newcomers as lab staff." in page.text
    for code in ("nl", "en", "ar"):
        assert f'value="{code}" checked' in page.text
    assert 'value="fr" checked' not in page.text


def test_unticking_the_directory_box_is_saved(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    employer_client.post("/organisation", data=profile_form(token, in_directory=None), headers=HX)
    assert fresh_organisation(session, employer.organisation_id).in_directory is False


def test_unknown_postcode_shows_an_error_and_loses_nothing(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token, postcode="9999"), headers=HX)

    assert response.status_code == 422
    assert error_of(response.text, "postcode") == "9999 is not a Belgian postcode we know."
    assert "Please correct the fields marked below." in response.text
    # What was typed stays in the form ...
    assert input_value(response.text, "postcode") == "9999"
    assert selected_option(response.text, "sector") == "P"
    assert selected_option(response.text, "size") == "250+"
    assert "We train newcomers as lab staff." in response.text
    assert 'value="ar" checked' in response.text
    # ... and what was saved before is untouched.
    organisation = fresh_organisation(session, employer.organisation_id)
    assert (organisation.sector, organisation.postcode, organisation.municipality) == ("Q", "9000", "Gent")
    assert organisation.size == "50-249"
    assert organisation.workplace_languages == ["nl"]


def test_a_corrected_postcode_then_saves(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    employer_client.post("/organisation", data=profile_form(token, postcode="9999"), headers=HX)
    response = employer_client.post("/organisation", data=profile_form(token, postcode="8000"), headers=HX)
    assert response.status_code == 200
    assert fresh_organisation(session, employer.organisation_id).municipality == "Brugge"


def test_empty_name_is_refused(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token, name=" "), headers=HX)
    assert response.status_code == 422
    assert error_of(response.text, "name") == "This field is required."
    assert fresh_organisation(session, employer.organisation_id).name == "Ziekenhuis Oost"


def test_a_statement_over_1000_characters_is_refused(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token, engagement_statement="x" * 1001),
                                    headers=HX)
    assert response.status_code == 422
    assert "1000" in error_of(response.text, "engagement_statement")
    assert fresh_organisation(session, employer.organisation_id).engagement_statement == ""


@pytest.mark.parametrize("field,value", [("sector", "Z"), ("size", "a million"), ("workplace_languages", "xx")])
def test_values_outside_the_lists_are_refused(employer_client, employer, session, field, value):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token, **{field: value}), headers=HX)
    assert response.status_code == 422
    assert error_of(response.text, field)
    assert fresh_organisation(session, employer.organisation_id).sector == "Q"


def test_htmx_gets_only_the_profile_form_fragment(employer_client):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token), headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="profile-form"')
    assert 'id="invite-form"' not in response.text
    assert "HX-Request" in response.headers["vary"]


def test_htmx_error_response_is_the_fragment_too(employer_client):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token, postcode="9999"), headers=HX)
    assert response.status_code == 422
    assert "<html" not in response.text
    assert 'id="profile-form"' in response.text


def test_a_normal_post_gets_the_full_page(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token))

    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="profile-form"' in response.text and 'id="invite-form"' in response.text
    assert "Profile saved." in response.text
    assert "HX-Request" in response.headers["vary"]
    assert fresh_organisation(session, employer.organisation_id).sector == "P"


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_boosted_and_history_restore_requests_get_the_full_page(employer_client, header):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data=profile_form(token),
                                    headers={"HX-Request": "true", header: "true"})
    assert response.status_code == 200
    assert "<html" in response.text


def test_renaming_the_organisation_shows_in_the_header(employer_client):
    token = csrf_of(employer_client, "/organisation")
    employer_client.post("/organisation", data=profile_form(token, name="Ziekenhuis Oost-Vlaanderen"), headers=HX)
    assert "Ziekenhuis Oost-Vlaanderen" in employer_client.get("/offers").text


def test_only_employers_have_an_organisation_profile(client, session):
    coach = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, coach.email)
    assert client.get("/organisation").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/organisation", follow_redirects=False)
    assert response.status_code == 303
    assert "/login?next=/organisation" in response.headers["location"]


def test_anonymous_htmx_request_gets_an_hx_redirect(client):
    response = client.get("/organisation", headers=HX, follow_redirects=False)
    assert response.status_code == 204
    assert "/login?next=/organisation" in response.headers["hx-redirect"]
