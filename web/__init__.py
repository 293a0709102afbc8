"""Opstap's web layer: Starlette routes, templates, auth, CSRF and the command line."""

from web import convertors  # noqa: F401  (registers the {id:id} path type before any route is built)
