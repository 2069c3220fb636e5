"""Every route of the app, read from its router, for the tests that must cover them all.

The route list is needed when pytest collects (to name one test per route), before
any database fixture exists; an app on a SQLite file that is never opened gives it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from rughernia.settings import Settings

Route = tuple[str, str]  # (METHOD, path template)


def app_routes(app: FastAPI) -> list[Route]:
    """Every (method, path) the app answers, whatever kind of route serves it.

    A route without methods (a mount: static files, a sub-app) is listed as ``*``,
    so a test that must cover every route cannot pass it by.
    """
    out: set[Route] = set()
    for route in iter_route_contexts(app.routes):
        path = route.path or getattr(route.original_route, "path", "") or "?"
        methods = route.methods or {"*"}
        out.update((method, path) for method in methods)
    return sorted(out, key=lambda r: (r[1], r[0]))


def page_routes(app: FastAPI) -> list[Route]:
    """The routes of the web pages (``rughernia.web.pages``) and their static files: HTML
    for browsers, covered by tests/web/test_pages_access.py instead of the API's matrix."""
    out: set[Route] = set()
    for route in iter_route_contexts(app.routes):
        endpoint = getattr(route.original_route, "endpoint", None)
        module = getattr(endpoint, "__module__", "")
        path = route.path or getattr(route.original_route, "path", "") or "?"
        if module.startswith("rughernia.web.pages") or path == "/static":
            out.update((method, path) for method in route.methods or {"*"})
    return sorted(out, key=lambda r: (r[1], r[0]))


def api_routes(app: FastAPI) -> list[Route]:
    """Every route but the pages'."""
    pages = set(page_routes(app))
    return [r for r in app_routes(app) if r not in pages]


def collection_app() -> FastAPI:
    """An app for reading its routes and OpenAPI document only: no database is touched."""
    from rughernia.web.app import create_app

    app = create_app(Settings(database_url="sqlite:////nonexistent/never-opened.db"))
    app.state.engine.dispose()
    return app


def route_id(route: Route) -> str:
    return f"{route[0]} {route[1]}"


def openapi_operations(app: FastAPI) -> list[Route]:
    doc: dict[str, Any] = app.openapi()
    return sorted(
        ((method.upper(), path) for path, ops in doc["paths"].items() for method in ops),
        key=lambda r: (r[1], r[0]),
    )
