"""The live preview of what employers see: origins and places are gone, the rest of the summary stays."""

from tests.conftest import csrf_of
from tests.web.coach_support import HX, candidate_form
from tests.web.test_candidates import candidate, coach, coach_client  # noqa: F401 (fixtures)


def test_the_preview_takes_out_origins_and_places(coach_client, candidate):  # noqa: F811
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/profile")
    form = candidate_form(token, mode="profile", summary="Experienced ICU nurse from Aleppo. Syrische verpleegkundige, "
                                                         "infirmière syrienne, Kabul-trained in triage.")
    for name in ("given_name", "family_name", "email", "phone", "date_of_birth", "nationality",
                 "country_of_origin", "arrival_date", "address"):
        form.pop(name)
    response = coach_client.post(f"/candidates/{candidate.id}/profile/validate", data=form,
                                 headers={**HX, "X-CSRF-Token": token})
    preview = response.text.split('id="profile-preview"', 1)[1]
    assert "Experienced ICU nurse from […]." in preview
    assert "trained in triage" in preview
    for leaked in ("Aleppo", "Syrische", "syrienne", "Kabul"):
        assert leaked not in preview, leaked
