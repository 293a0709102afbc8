"""Opstap's knowledge: pure rules, tables, services and read queries. Never imports web/."""
