"""Rendering: a whole page, or one named block of it for htmx (CONVENTIONS 4 and 5)."""

import re
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2_fragments.starlette import Jinja2Blocks
from markupsafe import Markup, escape
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import NoMatchFound

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


# The language of the page being rendered, for macros (imported once, they see no request context).
_rendering_lang: ContextVar[str] = ContextVar("rendering_lang", default=DEFAULT_LANGUAGE)


def _tr_now(message: str, **params) -> Markup:
    """gettext for macros; the translation is trusted, the params are escaped unless they are Markup."""
    text = Markup(translations(_rendering_lang.get()).gettext(message))
    return text % params if params else text


def _request_context(request: Request) -> dict:
    lang = language(request)
    _rendering_lang.set(lang)

    def tr(message: str, **params) -> str:
        """gettext for macros, which see no request context: ``tr("%(n)s km", n=3)``."""
        text = Markup(translations(lang).gettext(message))
        return text % params if params else text

    settings = getattr(request.app.state, "settings", None)
    return {
        "lang": lang,
        "tr": tr,
        "operator": {"name": getattr(settings, "operator_name", "Opstap"), "url": getattr(settings, "operator_url", None)},
        "beta": getattr(settings, "beta", False),
        "languages": LANGUAGES,
        "actor": getattr(request.state, "actor", None),
        "csrf_token": csrf_token(request),
    }


# Templates ship with the code: no stat() of every template file on every render (restart to see an edit).
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                   extensions=["jinja2.ext.i18n"], auto_reload=False)
_env.policies["ext.i18n.trimmed"] = True
templates = Jinja2Blocks(env=_env, context_processors=[_request_context])


@pass_context
def _url_for(context, name: str, /, **path_params) -> URL:
    """Starlette's ``url_for``, finding the route by name in a dict instead of trying every route in
    turn (a match list builds ~30 links; the linear search was a quarter of its rendering time)."""
    request = context["request"]
    router = request.scope["router"]
    named = getattr(request.app.state, "routes_by_name", None)
    if named is None:
        named = {}
        for route in router.routes:
            named.setdefault(getattr(route, "name", None), route)
        request.app.state.routes_by_name = named
    route = named.get(name)
    try:
        path = (route or router).url_path_for(name, **path_params)
    except NoMatchFound:  # same name, other parameters: Starlette's own search decides
        path = router.url_path_for(name, **path_params)
    return path.make_absolute_url(base_url=request.base_url)


templates.env.globals["url_for"] = _url_for


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
templates.env.globals["tr"] = _tr_now
templates.env.globals["notice_text"] = _notice_text


# Dates and numbers in the reader's language, Belgian usage: "4 december 2026", "4 décembre 2026".
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}
TIMEZONE = "Europe/Brussels"


@lru_cache(maxsize=8)
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)


def _locale() -> Locale:
    return _babel_locale(BABEL_LOCALES.get(_rendering_lang.get(), "en_BE"))


def _format_date(value, format: str = "long") -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(TIMEZONE)).date() if value.tzinfo else value.date()
    return Markup('<time datetime="%s">%s</time>') % (value.isoformat(), format_date(value, format, locale=_locale()))


def _format_datetime(value) -> str:
    if not value:
        return ""
    local = value.astimezone(ZoneInfo(TIMEZONE)) if value.tzinfo else value
    return Markup('<time datetime="%s">%s</time>') % (
        value.isoformat(), format_datetime(local, "d MMMM y, HH:mm", locale=_locale()))


def _format_number(value) -> str:
    return _formatted_number(value, _rendering_lang.get()) if value is not None else ""


@lru_cache(maxsize=4096)
def _formatted_number(value, lang: str) -> str:
    """Babel's formatting costs ~10 µs a number; a match list shows ~300 (the weights of every card), most alike."""
    return format_decimal(value, locale=_babel_locale(BABEL_LOCALES.get(lang, "en_BE")))


_URL = re.compile(r"https?://[^\s<>\"'&]+")


def _linkify(text: str) -> Markup:
    """Plain text, escaped, with its web addresses made into links (the admin's view of an e-mail)."""
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', str(escape(text))))


templates.env.filters["linkify"] = _linkify
templates.env.globals["outcome_text"] = _outcome_text
templates.env.filters["isodate"] = lambda ts: _format_date(datetime.fromtimestamp(ts, UTC).date()) if ts else ""
templates.env.filters["fdate"] = lambda value, format="long": _format_date(value, format)
templates.env.filters["fdatetime"] = lambda value: _format_datetime(value)
templates.env.filters["fnumber"] = lambda value: _format_number(value)

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
