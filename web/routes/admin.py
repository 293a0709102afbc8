"""Administration from the browser: organisations, users, programmes and their eligibility rules.

Every change goes to the audit log (in the services). Deactivating a user or an organisation, or changing a
user's role, ends the sessions of the users concerned: see ``_end_sessions``."""

from datetime import date
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.admin import OP_LABELS, ORGANISATION_KIND_LABELS, ROLE_LABELS, roles_for, rule_value_text
from domain.audit import AUDIT_KINDS
from domain.eligibility import DATE_FIELDS, FIELD_NOUNS, SET_FIELDS, VALUE_LABELS
from domain.services.admin import (
    change_role,
    create_organisation,
    invite_user,
    organisation_rows,
    preview_rules,
    programme_rows,
    programme_view,
    rename_organisation,
    rules_with,
    save_rules,
    set_organisation_active,
    set_user_active,
    user_rows,
)
from domain.services.audit import AuditFilter, audit_page
from domain.services.sessions import end_sessions
from domain.validation import N_, RuleBroken
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors, translations
from web.links import links_for
from web.templating import language, render

AUDIT = "admin/audit.html"
ORGANISATIONS = "admin/organisations.html"
USERS = "admin/users.html"
PROGRAMMES = "admin/programmes.html"
PROGRAMME = "admin/programme.html"


async def _end_sessions(request: Request, user_ids: list[int]) -> None:
    """The users' rights changed or ended: every session they have ends on the server, so they sign in again
    (with a new session id) and a copied cookie opens nothing."""
    for user_id in user_ids:
        await call(request, end_sessions, user_id, "rights_changed")


def _int(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None


# --- organisations -----------------------------------------------------------------------------------------

async def _organisations_page(request: Request, *, errors: dict | None = None, values: dict | None = None,
                              row_errors: dict | None = None, status_code: int = 200, block: str | None = None):
    actor = await current_actor(request)
    rows = await call(request, organisation_rows, actor)
    return render(request, ORGANISATIONS, {"rows": rows, "errors": errors or {}, "values": values or {},
                                           "row_errors": row_errors or {}, "kinds": ORGANISATION_KIND_LABELS},
                  block=block, status_code=status_code)


@requires(Role.ADMIN)
async def organisations(request: Request):
    return await _organisations_page(request)


@requires(Role.ADMIN)
async def organisation_create(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    values = {"kind": str(form.get("kind", "")), "name": str(form.get("name", ""))}
    try:
        await call(request, create_organisation, actor, values["kind"], values["name"])
    except RuleBroken as broken:
        return await _organisations_page(request, errors=field_errors(broken.violations, language(request)),
                                         values=values, status_code=422, block="organisations")
    return await _organisations_page(request, block="organisations")


@requires(Role.ADMIN)
async def organisation_rename(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    organisation_id = request.path_params["id"]
    try:
        await call(request, rename_organisation, actor, organisation_id, str(form.get("name", "")))
    except RuleBroken as broken:
        return await _organisations_page(request, row_errors={organisation_id: field_errors(broken.violations,
                                                                                            language(request))},
                                         status_code=422, block="organisations")
    return await _organisations_page(request, block="organisations")


@requires(Role.ADMIN)
async def organisation_active(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    ended = await call(request, set_organisation_active, actor, request.path_params["id"], form.get("active") == "1")
    await _end_sessions(request, ended)
    return await _organisations_page(request, block="organisations")


# --- users --------------------------------------------------------------------------------------------------

async def _users_page(request: Request, *, errors: dict | None = None, values: dict | None = None,
                      row_errors: dict | None = None, invited: str = "", status_code: int = 200,
                      block: str | None = None):
    actor = await current_actor(request)
    users = await call(request, user_rows, actor)
    orgs = [o for o in await call(request, organisation_rows, actor) if o.active]
    return render(request, USERS, {"users": users, "organisations": orgs, "errors": errors or {},
                                   "values": values or {}, "row_errors": row_errors or {}, "invited": invited,
                                   "role_labels": ROLE_LABELS, "kinds": ORGANISATION_KIND_LABELS,
                                   "roles_for": roles_for, "me": actor.id},
                  block=block, status_code=status_code)


@requires(Role.ADMIN)
async def users(request: Request):
    return await _users_page(request)


@requires(Role.ADMIN)
async def user_invite(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    values = {"email": str(form.get("email", "")), "organisation_id": str(form.get("organisation_id", ""))}
    try:
        await call(request, invite_user, actor, values["email"], _int(values["organisation_id"]), links_for(request))
    except RuleBroken as broken:
        return await _users_page(request, errors=field_errors(broken.violations, language(request)), values=values,
                                 status_code=422, block="users")
    return await _users_page(request, invited=values["email"].strip().lower(), block="users")


async def _user_change(request: Request, service, value):
    actor = await current_actor(request)
    user_id = request.path_params["id"]
    try:
        ended = await call(request, service, actor, user_id, value)
    except RuleBroken as broken:
        return await _users_page(request, row_errors={user_id: field_errors(broken.violations, language(request))},
                                 status_code=422, block="users")
    await _end_sessions(request, ended)
    return await _users_page(request, block="users")


@requires(Role.ADMIN)
async def user_role(request: Request):
    form = await request.form()
    return await _user_change(request, change_role, str(form.get("role", "")))


@requires(Role.ADMIN)
async def user_active(request: Request):
    form = await request.form()
    return await _user_change(request, set_user_active, form.get("active") == "1")


# --- programmes and rules --------------------------------------------------------------------------------------

def _rule_labels() -> dict:
    return {"field_labels": FIELD_NOUNS, "op_labels": OP_LABELS, "set_fields": SET_FIELDS,
            "date_fields": DATE_FIELDS, "value_labels": VALUE_LABELS, "value_text": rule_value_text}


@requires(Role.ADMIN)
async def programmes(request: Request):
    actor = await current_actor(request)
    return render(request, PROGRAMMES, {"programmes": await call(request, programme_rows, actor)})


async def _programme_page(request: Request, *, index: int | None = None, errors: dict | None = None,
                          values: dict | None = None, preview=None, saved: bool = False, status_code: int = 200,
                          block: str | None = None):
    actor = await current_actor(request)
    programme = await call(request, programme_view, actor, request.path_params["id"])
    if preview is None:
        preview = await call(request, preview_rules, actor, programme.id, programme.rules)
    return render(request, PROGRAMME, {"p": programme, "edited": index, "errors": errors or {},
                                       "values": values or {}, "preview": preview, "saved": saved,
                                       **_rule_labels()}, block=block, status_code=status_code)


@requires(Role.ADMIN)
async def programme(request: Request):
    return await _programme_page(request, saved=request.query_params.get("saved") == "1")


def _rule_form(form) -> tuple[int | None, dict]:
    values = {name: str(form.get(name, "")) for name in ("field", "op", "value", "version")}
    return _int(str(form.get("index", ""))), values


@requires(Role.ADMIN)
async def programme_rule_preview(request: Request):
    """As the admin edits one rule: of the current candidates, how many would pass with it."""
    actor = await current_actor(request)
    index, values = _rule_form(await request.form())
    programme = await call(request, programme_view, actor, request.path_params["id"])
    try:
        rules = rules_with(programme.rules, index if index is not None else -1, values["field"], values["op"],
                           values["value"])
    except RuleBroken as broken:
        return render(request, PROGRAMME, {"errors": field_errors(broken.violations, language(request)),
                                           "preview": None, "edited": index, "p": programme, **_rule_labels()},
                      block="rule_preview")
    preview = await call(request, preview_rules, actor, programme.id, rules)
    return render(request, PROGRAMME, {"preview": preview, "errors": {}, "edited": index, "p": programme,
                                       **_rule_labels()}, block="rule_preview")


@requires(Role.ADMIN)
async def programme_rule_save(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    index, values = _rule_form(form)
    programme = await call(request, programme_view, actor, request.path_params["id"])
    try:
        if form.get("remove") == "1" and index is not None and index < len(programme.rules):
            rules = programme.rules[:index] + programme.rules[index + 1:]
        else:
            rules = rules_with(programme.rules, index if index is not None else -1, values["field"], values["op"],
                               values["value"])
        await call(request, save_rules, actor, programme.id, rules, expected_version=_int(values["version"]) or 0)
    except RuleBroken as broken:
        return await _programme_page(request, index=index, errors=field_errors(broken.violations, language(request)),
                                     values=values, status_code=422)
    return redirect(str(request.url_for("admin_programme", id=programme.id)) + "?saved=1", request)



def _audit_filter(request: Request) -> tuple[AuditFilter, dict, dict]:
    """The filter from the query string; a date that cannot be read is named beside its field and ignored."""
    params = request.query_params
    values = {k: params.get(k, "").strip() for k in ("user", "candidate", "kind", "from", "to")}
    errors, dates = {}, {}
    for key in ("from", "to"):
        try:
            dates[key] = date.fromisoformat(values[key]) if values[key] else None
        except ValueError:
            dates[key] = None
            errors[key] = N_("Enter a date like 2026-03-31.")
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 1
    kind = values["kind"] if values["kind"] in AUDIT_KINDS else ""
    return AuditFilter(values["user"], values["candidate"], kind, dates["from"], dates["to"], page), values, errors


@requires(Role.ADMIN)
async def audit(request: Request):
    """The audit log, read-only: filters in the URL (a GET form), so a view can be bookmarked and shared."""
    actor = await current_actor(request)
    wanted, values, errors = _audit_filter(request)
    result = await call(request, audit_page, actor, wanted)
    gettext = translations(language(request)).gettext
    query = {k: v for k, v in values.items() if v}
    return render(request, AUDIT, {"result": result, "values": values, "kinds": AUDIT_KINDS,
                                   "page_query": lambda n: urlencode({**query, "page": n}),
                                   "errors": {k: gettext(v) for k, v in errors.items()}},
                  status_code=400 if errors else 200)

routes = [
    Route("/admin/audit", audit, name="admin_audit"),
    Route("/admin/organisations", by_method(get=organisations, post=organisation_create), methods=["GET", "POST"],
          name="admin_organisations"),
    Route("/admin/organisations/{id:id}/name", organisation_rename, methods=["POST"], name="admin_organisation_rename"),
    Route("/admin/organisations/{id:id}/active", organisation_active, methods=["POST"],
          name="admin_organisation_active"),
    Route("/admin/users", by_method(get=users, post=user_invite), methods=["GET", "POST"], name="admin_users"),
    Route("/admin/users/{id:id}/role", user_role, methods=["POST"], name="admin_user_role"),
    Route("/admin/users/{id:id}/active", user_active, methods=["POST"], name="admin_user_active"),
    Route("/admin/programmes", programmes, name="admin_programmes"),
    Route("/admin/programmes/{id:id}", programme, name="admin_programme"),
    Route("/admin/programmes/{id:id}/rules", programme_rule_save, methods=["POST"], name="admin_programme_rules"),
    Route("/admin/programmes/{id:id}/rules/preview", programme_rule_preview, methods=["POST"],
          name="admin_programme_rule_preview"),
]


