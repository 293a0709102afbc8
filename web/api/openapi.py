"""The OpenAPI 3.1 document of API v1, kept beside the endpoints it describes."""

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.candidates import DiplomaRecognition, ProgrammePath
from domain.interest import DECLINE_REASONS, DISCLOSABLE, InterestState
from domain.match_filters import FILTERABLE_LANGUAGES, MAX_KM, MAX_RESULTS, SORTS
from domain.offers import CEFR_LEVELS, LANGUAGES, NACE_SECTIONS, EducationLevel, OfferStatus, OfferType


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(*codes: int) -> dict:
    words = {400: "Bad request", 401: "No valid token", 403: "Not allowed for this role", 404: "Not found",
             409: "Not possible in the current state", 422: "Rules broken; see error.fields",
             429: "Rate limited; see Retry-After", 503: "Search temporarily unavailable"}
    return {str(code): {"description": words[code], "content": {"application/json": {"schema": _ref("Error")}}}
            for code in codes}


def _ok(schema: dict, code: int = 200, description: str = "OK") -> dict:
    return {str(code): {"description": description, "content": {"application/json": {"schema": schema}}}}


STANDARD = (400, 401, 403, 429)
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 999999999}}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}
MATCH_LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
CURSOR = {"name": "cursor", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
          "description": "next_cursor from the previous page"}
# The filters of GET /offers/{id}/matches, from the declarations domain.match_filters.parse_filters checks.
MATCH_FILTERS = [
    {"name": "language", "in": "query", "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"type": "string", "pattern": "^(" + "|".join(FILTERABLE_LANGUAGES)
                                                          + "):(" + "|".join(CEFR_LEVELS) + ")$"}},
     "description": "at least this level, e.g. nl:B2; repeat for several languages"},
    {"name": "education_min", "in": "query", "schema": {"enum": [e.value for e in EducationLevel]}},
    {"name": "max_km", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_KM},
     "description": "distance from the offer's place"},
    {"name": "eligible_for", "in": "query", "schema": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
     "description": "a programme slug, e.g. level_at_work"},
    {"name": "available_by", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "offer_type", "in": "query", "schema": {"enum": [t.value for t in OfferType]},
     "description": "the candidate accepts this offer type"},
    {"name": "sort", "in": "query", "schema": {"enum": list(SORTS)},
     "description": "fit (default); distance and availability order the 100 best-fitting candidates"},
    {"name": "cursor", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{1,2}$"},
     "description": f"next_cursor from the previous page; at most {MAX_RESULTS} results in all"},
]

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "fields"],
        "properties": {"code": STRING, "message": STRING,
                       "fields": {"type": "object", "additionalProperties": STRING}}}}},
    "OfferInput": {
        "type": "object", "required": ["title", "type", "duration", "postcode", "places", "sector"],
        "properties": {
            "title": STRING, "description": STRING, "type": {"enum": [t.value for t in OfferType]},
            "duration": {"type": "object", "required": ["value", "unit"],
                         "properties": {"value": {"type": "integer"}, "unit": {"enum": ["days", "weeks"]}}},
            "occupation": {"type": ["string", "null"], "description": "ESCO occupation URI"},
            "skills": {"type": "array", "items": {"type": "object", "required": ["uri"], "properties": {
                "uri": STRING, "essential": {"type": "boolean"},
                "taught": {"type": "boolean", "default": False,
                           "description": "learned here: taught during the traineeship; counts at a reduced weight"}}}},
            "languages": {"type": "array", "items": {"type": "object", "required": ["code", "min_level"], "properties": {
                "code": {"enum": list(LANGUAGES)}, "min_level": {"enum": list(CEFR_LEVELS)}}}},
            "education_min": {"enum": [e.value for e in EducationLevel]}, "field_of_study": STRING,
            "postcode": {"type": "string", "description": "Belgian postcode"},
            "remote_days": {"type": "integer"}, "days_per_week": {"type": "integer"}, "hours_per_week": {"type": "integer"},
            "start_from": DATE, "start_until": DATE, "places": {"type": "integer"},
            "sector": {"enum": list(NACE_SECTIONS)}, "accessibility_notes": STRING,
            "monthly_pay_eur": {"type": ["integer", "null"], "description": "required for paid traineeships"},
            "followup_contract_months": {"type": ["integer", "null"],
                                         "description": "work-based training: months of the contract after it; null = open-ended"},
        }},
    "Offer": {"type": "object", "required": ["id", "status", "title", "type", "duration", "skills", "languages"],
              "properties": {"id": {"type": "integer"}, "status": {"enum": [s.value for s in OfferStatus]},
                             "organisation": STRING, "title": STRING, "description": STRING,
                             "type": {"enum": [t.value for t in OfferType]},
                             "duration": {"type": "object"}, "occupation": NULLABLE_STRING,
                             "skills": {"type": "array", "items": {"type": "object", "properties": {
                                 "uri": STRING, "label": STRING, "essential": {"type": "boolean"},
                                 "taught": {"type": "boolean"}}}},
                             "languages": {"type": "array", "items": {"type": "object"}},
                             "education_min": STRING, "field_of_study": STRING, "postcode": STRING,
                             "municipality": STRING, "remote_days": {"type": "integer"},
                             "days_per_week": {"type": "integer"}, "hours_per_week": {"type": "integer"},
                             "start_from": DATE, "start_until": DATE, "places": {"type": "integer"}, "sector": STRING,
                             "accessibility_notes": STRING, "monthly_pay_eur": {"type": ["integer", "null"]},
                             "followup_contract_months": {"type": ["integer", "null"]},
                             "followup_open_ended": {"type": "boolean"}}},
    "OfferStatus": {"type": "object", "required": ["id", "status"],
                    "properties": {"id": {"type": "integer"}, "status": {"enum": [s.value for s in OfferStatus]}}},
    "OfferPage": {"type": "object", "required": ["results", "next_cursor"], "properties": {
        "results": {"type": "array", "items": {"type": "object", "required": ["id", "title", "status"], "properties": {
            "id": {"type": "integer"}, "title": STRING, "status": STRING, "type": STRING}}},
        "next_cursor": NULLABLE_STRING}},
    "CandidateInput": {
        "type": "object", "required": ["identity", "profile"],
        "properties": {
            "identity": {"type": "object", "required": ["given_name", "family_name"], "description":
                         "Stored apart; never indexed; shown to an employer only after the candidate consents.",
                         "properties": {"given_name": STRING, "family_name": STRING, "email": STRING, "phone": STRING,
                                        "date_of_birth": DATE, "nationality": {"type": "string", "description": "ISO 3166-1 alpha-2"},
                                        "country_of_origin": STRING, "arrival_date": DATE, "address": STRING}},
            "profile": {"type": "object", "required": ["postcode"], "properties": {
                "skills": {"type": "array", "items": {"type": "object", "required": ["uri"], "properties": {"uri": STRING}}},
                "experience": {"type": "array", "items": {"type": "object", "required": ["occupation", "years"],
                                                          "properties": {"occupation": STRING, "years": {"type": "integer"}}}},
                "languages": {"type": "array", "items": {"type": "object", "required": ["code", "level"], "properties": {
                    "code": {"enum": list(LANGUAGES)}, "level": {"enum": list(CEFR_LEVELS)}}}},
                "education_level": {"enum": [e.value for e in EducationLevel]}, "education_field": STRING,
                "diploma_recognition": {"enum": [d.value for d in DiplomaRecognition]},
                "postcode": STRING, "max_commute_km": {"type": "integer"}, "available_from": DATE,
                "days_per_week": {"type": "integer"},
                "accepted_offer_types": {"type": "array", "items": {"enum": [t.value for t in OfferType]}},
                "programme": STRING, "path": {"enum": [p.value for p in ProgrammePath] + [None]},
                "sector_preferences": {"type": "array", "items": {"enum": list(NACE_SECTIONS)}},
                "summary": STRING}}}},
    "Created": {"type": "object", "required": ["id", "ref"],
                "properties": {"id": {"type": "integer"}, "ref": {"type": "string", "pattern": "^K-[0-9A-Z]{4}$"}}},
    "BatchResult": {"type": "object", "required": ["created", "errors"], "properties": {
        "created": {"type": "array", "items": {"type": "object", "required": ["index", "id", "ref"], "properties": {
            "index": {"type": "integer"}, "id": {"type": "integer"}, "ref": STRING}}},
        "errors": {"type": "array", "items": {"type": "object", "required": ["index", "error"], "properties": {
            "index": {"type": "integer"}, "error": {"type": "object"}}}}}},
    "CandidatePage": {"type": "object", "required": ["results", "next_cursor"], "properties": {
        "results": {"type": "array", "items": {"type": "object", "required": ["id", "ref"], "description":
                    "The anonymised profile: no identity field."}},
        "next_cursor": NULLABLE_STRING}},
    "Explanation": {"type": "object", "required": ["essential_covered", "essential_missing", "optional_covered",
                                                   "distance_km", "languages_ok"], "properties": {
        "essential_covered": {"type": "array", "items": STRING}, "essential_missing": {"type": "array", "items": STRING},
        "optional_covered": {"type": "array", "items": STRING}, "optional_missing": {"type": "array", "items": STRING},
        "distance_km": {"type": ["number", "null"]}, "languages_ok": {"type": "boolean"},
        "languages_missing": {"type": "array", "items": STRING},
        "essential_related": {"type": "array", "description": "a missing essential skill and a skill the candidate "
                              "holds next to it in ESCO (narrower, broader or sibling); not counted in the score",
                              "items": {"type": "object", "required": ["missing", "held"],
                                        "properties": {"missing": STRING, "held": STRING}}},
        "learning_plan": {"type": "array", "items": STRING,
                          "description": "taught skills the candidate lacks: will learn here, not missing"},
        "weights": {"type": "object", "additionalProperties": {"type": "number"}, "description":
                    "each offer skill's rarity weight (1 = every candidate holds it); essential skills count twice"}}},
    "MatchFacts": {"type": "object", "description": "from the anonymised profile only", "properties": {
        "education": {"type": "object", "properties": {"level": STRING, "field": STRING, "diploma_recognition": STRING}},
        "experience": {"type": "array", "items": {"type": "object", "required": ["occupation_uri", "years"],
                                                  "properties": {"occupation_uri": STRING, "years": {"type": "integer"}}}},
        "languages": {"type": "object", "additionalProperties": {"enum": list(CEFR_LEVELS)}},
        "available_from": DATE, "days_per_week": {"type": "integer"}, "max_commute_km": {"type": "integer"},
        "accepted_offer_types": {"type": "array", "items": STRING},
        "eligible_for": {"type": "array", "items": STRING, "description": "programme slugs"}}},
    "CandidateMatches": {"type": "object", "required": ["results", "next_cursor"], "properties": {
        "next_cursor": NULLABLE_STRING, "results": {"type": "array", "items": {
            "type": "object", "required": ["candidate_ref", "score", "explanation", "facts"], "properties": {
                "candidate_ref": STRING, "score": {"type": "number", "minimum": 0, "maximum": 1},
                "explanation": _ref("Explanation"), "facts": _ref("MatchFacts"),
                "learning_plan": {"type": "array", "items": STRING,
                                  "description": "the offer's taught skill URIs this candidate lacks"}}}}}},
    "OfferMatches": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
        "type": "object", "required": ["offer_id", "score", "explanation"], "properties": {
            "offer_id": {"type": "integer"}, "title": STRING, "organisation": STRING,
            "score": {"type": "number", "minimum": 0, "maximum": 1}, "explanation": _ref("Explanation")}}}}},
    "Skills": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
        "type": "object", "required": ["uri", "label"], "properties": {
            "uri": STRING, "label": {"type": "string", "description": 'English, marked " (EN)", where ESCO has no '
                                                                       "label in the language asked"},
            "group": {"type": "string", "description": "the ESCO skill group"}}}}}},
    "Occupations": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
        "type": "object", "required": ["uri", "label", "isco"], "properties": {
            "uri": STRING, "label": STRING, "isco": {"type": "string", "description": "ISCO-08 unit group"}}}}}},
    "OccupationSkills": {"type": "object", "required": ["uri", "label", "essential", "optional"], "properties": {
        "uri": STRING, "label": STRING,
        "essential": {"type": "array", "items": {"type": "object", "required": ["uri", "label"],
                                                 "properties": {"uri": STRING, "label": STRING}}},
        "optional": {"type": "array", "items": {"type": "object", "required": ["uri", "label"],
                                                "properties": {"uri": STRING, "label": STRING}}}}},
    "InterestRequestInput": {"type": "object", "required": ["candidate_ref"], "properties": {
        "candidate_ref": {"type": "string", "description": "the anonymised reference, e.g. K-7Q2M"},
        "message": {"type": "string", "maxLength": 1000, "description": "optional, to the candidate"}}},
    "InterestRequest": {"type": "object", "required": ["id", "state"], "properties": {
        "id": {"type": "integer"}, "offer_id": {"type": "integer"}, "offer_title": STRING, "employer": STRING,
        "candidate_ref": STRING, "state": {"enum": [s.value for s in InterestState]}, "message": STRING,
        "created_at": STRING, "expires_at": NULLABLE_STRING, "decided_at": NULLABLE_STRING,
        "placement_id": {"type": ["integer", "null"]}, "coach_feedback": STRING,
        "decline_reason": {"type": ["string", "null"]}, "consent_text": NULLABLE_STRING,
        "disclosed_fields": {"type": "array", "items": {"enum": list(DISCLOSABLE)}},
        "candidate": {"type": ["object", "null"], "description": "only for the employer, only after the candidate "
                      "accepted; each response that carries it is written to the candidate's disclosure log",
                      "properties": {"name": STRING, "email": STRING, "phone": STRING}}}},
    "Accept": {"type": "object", "properties": {"consent": {"type": "boolean", "description":
               "Accepting is the candidate's consent to show the employer exactly disclosed_fields "
               "(name and the contact details they have); false refuses."}}},
    "Decline": {"type": "object", "properties": {"reason": {"enum": list(DECLINE_REASONS)},
                                                 "note": {"type": "string", "maxLength": 1000}}},
    "SearchStatus": {"type": "object", "required": ["pending", "healthy"], "properties": {
        "pending": {"type": "integer", "minimum": 0}, "healthy": {"type": "boolean"}}},
}


def _operation(summary: str, responses: dict, *, parameters=(), body: str | None = None, tag: str = "") -> dict:
    operation = {"summary": summary, "tags": [tag] if tag else [], "parameters": list(parameters),
                 "responses": responses, "security": [{"bearer": []}]}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    return operation


def _optional_body(operation: dict, schema: str) -> dict:
    return {**operation, "requestBody": {"required": False,
                                         "content": {"application/json": {"schema": _ref(schema)}}}}


def _transition(action: str) -> dict:
    return {"post": _operation(f"{action.title()} an offer (employer)",
                               {**_ok(_ref("OfferStatus")), **_error(*STANDARD, 404, 409)}, parameters=[ID], tag="offers")}


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Opstap API", "version": "1.0.0",
             "description": "Traineeship offers, anonymised candidates and explained matches. "
                            "Send `Authorization: Bearer <token>` (`opstap token create --email E`)."},
    "servers": [{"url": "/api/v1"}],
    "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/skills": {"get": _operation("Find ESCO skills in English, French or Dutch",
                                      {**_ok(_ref("Skills")), **_error(*STANDARD, 503)}, tag="skills", parameters=[
            {"name": "q", "in": "query", "schema": STRING},
            {"name": "lang", "in": "query", "schema": {"enum": ["en", "fr", "nl"]}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}}])},
        "/occupations": {"get": _operation("Find ESCO occupations in English, French or Dutch",
                                           {**_ok(_ref("Occupations")), **_error(*STANDARD, 503)}, tag="skills",
                                           parameters=[
            {"name": "q", "in": "query", "schema": STRING},
            {"name": "lang", "in": "query", "schema": {"enum": ["en", "fr", "nl"]}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}}])},
        "/occupations/skills": {"get": _operation(
            "An ESCO occupation's essential and optional skills",
            {**_ok(_ref("OccupationSkills")), **_error(*STANDARD, 422)}, tag="skills", parameters=[
                {"name": "uri", "in": "query", "required": True, "schema": STRING},
                {"name": "lang", "in": "query", "schema": {"enum": ["en", "fr", "nl"]}}])},
        "/offers": {
            "post": _operation("Create a draft offer (employer)",
                               {**_ok(_ref("OfferStatus"), 201, "Created"), **_error(*STANDARD, 422)},
                               body="OfferInput", tag="offers"),
            "get": _operation("List offers: your organisation's, or the published ones",
                              {**_ok(_ref("OfferPage")), **_error(*STANDARD)}, parameters=[CURSOR, LIMIT], tag="offers"),
        },
        "/offers/{id}": {"get": _operation("One offer", {**_ok(_ref("Offer")), **_error(*STANDARD, 404)},
                                           parameters=[ID], tag="offers")},
        "/offers/{id}/publish": _transition("publish"),
        "/offers/{id}/pause": _transition("pause"),
        "/offers/{id}/close": _transition("close"),
        "/offers/{id}/matches": {"get": _operation(
            "Anonymised candidates for an offer, best first, explained",
            {**_ok(_ref("CandidateMatches")), **_error(*STANDARD, 404, 503)}, parameters=[ID, MATCH_LIMIT, *MATCH_FILTERS],
            tag="matching")},
        "/candidates": {
            "post": _operation("Register a candidate (coach)",
                               {**_ok(_ref("Created"), 201, "Created"), **_error(*STANDARD, 422)},
                               body="CandidateInput", tag="candidates"),
            "get": _operation("Your caseload as anonymised profiles (coach)",
                              {**_ok(_ref("CandidatePage")), **_error(*STANDARD)}, parameters=[CURSOR, LIMIT],
                              tag="candidates"),
        },
        "/candidates/batch": {"post": {
            **_operation("Register up to 1,000 candidates; valid rows are saved even when others fail",
                         {**_ok(_ref("BatchResult")), **_error(*STANDARD, 422)}, tag="candidates"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["candidates"], "properties": {"candidates": {
                    "type": "array", "minItems": 1, "maxItems": 1000,
                    "description": "Each item as CandidateInput; an item that is not valid is reported in errors "
                                   "by its index, and the others are still saved.",
                    "items": {}}}}}}},
        }},
        "/candidates/{id}/matches": {"get": _operation(
            "Published offers for a candidate of your caseload, best first, explained",
            {**_ok(_ref("OfferMatches")), **_error(*STANDARD, 404, 503)}, parameters=[ID, MATCH_LIMIT], tag="matching")},
        "/offers/{id}/interest-requests": {"post": _operation(
            "Send an interest request to an anonymised candidate for a published offer (employer)",
            {**_ok(_ref("InterestRequest"), 201, "Created"), **_error(*STANDARD, 404, 422)},
            parameters=[ID], body="InterestRequestInput", tag="interest")},
        "/interest-requests/{id}": {"get": _operation(
            "One interest request, as the employer, the candidate or their coach sees it",
            {**_ok(_ref("InterestRequest")), **_error(*STANDARD, 404)}, parameters=[ID], tag="interest")},
        "/interest-requests/{id}/accept": {"post": _optional_body(_operation(
            "Accept, consenting to share disclosed_fields with that employer (the candidate)",
            {**_ok(_ref("InterestRequest")), **_error(*STANDARD, 404, 409, 422)}, parameters=[ID], tag="interest"),
            "Accept")},
        "/interest-requests/{id}/decline": {"post": _optional_body(_operation(
            "Decline, with a reason from the list (the candidate); the coach sees the reason, the employer does not",
            {**_ok(_ref("InterestRequest")), **_error(*STANDARD, 404, 409, 422)}, parameters=[ID], tag="interest"),
            "Decline")},
        "/interest-requests/{id}/withdraw": {"post": _operation(
            "Withdraw a request the candidate has not answered (employer)",
            {**_ok(_ref("InterestRequest")), **_error(*STANDARD, 404, 409)}, parameters=[ID], tag="interest")},
        "/search/status": {"get": _operation("Index changes not yet applied, and whether search is up",
                                             {**_ok(_ref("SearchStatus")), **_error(401, 429)}, tag="search")},
    },
}


async def openapi(request: Request):
    return JSONResponse(DOCUMENT)


routes = [Route("/openapi.json", openapi, name="api_openapi")]
