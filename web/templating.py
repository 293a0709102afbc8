"""Rendering: a whole page, or one named block of it for htmx (CONVENTIONS 4 and 5)."""

import re
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2_fragments.starlette import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from domain.offers import OFFER_STATUS_LABELS
from web.csrf import csrf_token
from web.i18n import COOKIE, DEFAULT_LANGUAGE, LANGUAGES, negotiate, outcome_text, translations

TEMPLATES = Path(__file__).parent / "templates"


def language(request: Request) -> str:
    """The language cookie (set by the switch and the account page, which also store it for a signed-in
    user); else the signed-in user's own language; else the browser's."""
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    actor = getattr(request.state, "actor", None)
    if actor is not None and actor.language in LANGUAGES:
        return actor.language
    if not hasattr(request.state, "lang"):
        request.state.lang = negotiate(None, request.headers.get("accept-language", ""))
    return request.state.lang


def _request_context(request: Request) -> dict:
    lang = language(request)

    def tr(message: str, **params) -> str:
        """gettext for macros, which see no request context: ``tr("%(n)s km", n=3)``."""
        text = translations(lang).gettext(message)
        return text % params if params else text

    return {
        "lang": lang,
        "tr": tr,
        "languages": LANGUAGES,
        "actor": getattr(request.state, "actor", None),
        "csrf_token": csrf_token(request),
    }


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                   extensions=["jinja2.ext.i18n"])
_env.policies["ext.i18n.trimmed"] = True
templates = Jinja2Blocks(env=_env, context_processors=[_request_context])


@pass_context
def _gettext(context, message: str) -> str:
    return translations(context.get("lang", DEFAULT_LANGUAGE)).gettext(message)


@pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("lang", DEFAULT_LANGUAGE)).ngettext(singular, plural, n)


@pass_context
def _rule_text(context, message: str, **params) -> str:
    """A domain message (``str.format`` placeholders) in the page's language."""
    return translations(context.get("lang", DEFAULT_LANGUAGE)).gettext(message).format(**params)


@pass_context
def _outcome_text(context, outcome: dict) -> str:
    """A screening rule's outcome, in the page's language (coach pages only)."""
    return outcome_text(outcome, context.get("lang", DEFAULT_LANGUAGE))


@pass_context
def _notice_text(context, message: str, params: dict) -> str:
    """A notification (msgid and params) in the page's language; params named ``*_label`` are msgids too."""
    t = translations(context.get("lang", DEFAULT_LANGUAGE))
    values = {key: t.gettext(value) if key.endswith("_label") and isinstance(value, str) else value
              for key, value in params.items()}
    return t.gettext(message).format(**values)


templates.env.globals["rule_text"] = _rule_text
templates.env.globals["notice_text"] = _notice_text


_URL = re.compile(r"https?://[^\s<>\"'&]+")


def _linkify(text: str) -> Markup:
    """Plain text, escaped, with its web addresses made into links (the admin's view of an e-mail)."""
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', str(escape(text))))


templates.env.filters["linkify"] = _linkify
templates.env.globals["outcome_text"] = _outcome_text
templates.env.filters["isodate"] = lambda ts: datetime.fromtimestamp(ts, UTC).date().isoformat() if ts else ""
templates.env.filters["labelled"] = lambda uris, labels: [labels.get(uri, uri) for uri in uris]
# Macros as a global, so a block rendered alone by jinja2-fragments can use them too.
templates.env.globals["m"] = _env.get_template("macros.html").module
templates.env.globals["offer_status_labels"] = OFFER_STATUS_LABELS

# Newstyle gettext: ``{{ _("Hello %(name)s", name=x) }}`` formats and escapes safely.
templates.env.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def wants_fragment(request: Request) -> bool:
    headers = request.headers
    return (headers.get("hx-request") == "true" and headers.get("hx-boosted") != "true"
            and headers.get("hx-history-restore-request") != "true")


def render(request: Request, template: str, context: dict | None = None, *, block: str | None = None,
           status_code: int = 200, headers: dict | None = None) -> Response:
    """The page, or only ``block`` when htmx asked for it. Always ``Vary: HX-Request``."""
    block_name = block if block and wants_fragment(request) else None
    response = templates.TemplateResponse(request, template, dict(context or {}), status_code=status_code,
                                          headers=headers, block_name=block_name)
    _private(response)
    return response


def _private(response: Response) -> None:
    """Pages depend on the signed-in user, the language cookie and htmx: never cache them shared."""
    response.headers["Vary"] = "HX-Request, Cookie, Accept-Language"
    response.headers["Cache-Control"] = "private, no-store"


def render_block(request: Request, template: str, block: str, context: dict | None = None, *,
                 status_code: int = 200) -> Response:
    """Only ``block``, whoever asks: for endpoints that exist only as htmx regions (pickers, validation)."""
    response = templates.TemplateResponse(request, template, dict(context or {}), status_code=status_code,
                                          block_name=block)
    _private(response)
    return response
