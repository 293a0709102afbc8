"""Opstap's web layer: Starlette routes, templates, auth, CSRF and the command line."""
