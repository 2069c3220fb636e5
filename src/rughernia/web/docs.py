"""The OpenAPI document and a plain, local docs page (no CDN, no script)."""

from __future__ import annotations

import html
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts

from rughernia.web import problem_responses
from rughernia.web.api.inputs import DOCUMENTED

DOCS_PATH = "/api/v1/docs"
OPENAPI_PATH = "/api/v1/openapi.json"


def openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the contract models that raw-JSON routes reference."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, model in DOCUMENTED.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, _no_null_defaults(definition))
        schemas[name] = _no_null_defaults(schema)
    _document_media_type(doc)
    app.openapi_schema = doc
    return doc


def _no_null_defaults(schema: Any) -> Any:
    """``schema`` without ``default: null`` where null is not a valid value.

    The contract's optional-but-never-null fields (a diary entry's ``back_pain``) are
    ``None`` in Python when left out, and Pydantic writes that as ``default: null``
    beside ``type: integer``: a default the schema itself forbids, which OpenAPI 3.1
    validators reject. Left out means absent; dropping the default says just that and
    changes nothing that is accepted.
    """
    if isinstance(schema, list):
        return [_no_null_defaults(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _no_null_defaults(value) for key, value in schema.items()}
    if "default" in out and out["default"] is None and not _admits_null(out):
        del out["default"]
    return out


def _admits_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is None and not any(k in schema for k in ("anyOf", "oneOf", "allOf")):
        return "$ref" not in schema and "enum" not in schema and "const" not in schema
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(
        isinstance(branch, dict) and _admits_null(branch)
        for branch in schema.get("anyOf", []) + schema.get("oneOf", [])
    )


def _document_media_type(doc: dict[str, Any]) -> None:
    """Every operation with a request body answers 415 to a body that is not JSON."""
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "415", problem_responses.MEDIA_TYPE[415]
                )


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the JSON API, from the router itself (for the route matrix)."""
    out: list[tuple[str, str]] = []
    # FastAPI includes routers lazily; iter_route_contexts flattens them (as its OpenAPI does).
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path and path.startswith("/api/") and isinstance(route.original_route, APIRoute):
            out.extend((method, path) for method in sorted(route.methods or ()))
    return out


def install(app: FastAPI) -> None:
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(render(openapi(app)))


def render(doc: dict[str, Any]) -> str:
    esc = html.escape
    rows = []
    for path, operations in doc.get("paths", {}).items():
        for method, op in operations.items():
            rows.append(
                f"<tr><td><code>{esc(method.upper())}</code></td><td><code>{esc(path)}</code></td>"
                f"<td>{esc(op.get('summary', ''))}</td></tr>"
            )
    info = doc.get("info", {})
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(info.get('title', 'API'))} – API</title></head><body>"
        f"<h1>{esc(info.get('title', 'API'))} {esc(str(info.get('version', '')))}</h1>"
        f"<p>{esc(info.get('description', ''))}</p>"
        f"<p>The full description is the OpenAPI document: <a href='{OPENAPI_PATH}'>"
        f"{OPENAPI_PATH}</a>. Errors are <code>application/problem+json</code> (RFC 9457). "
        "Sign in with <code>POST /api/v1/session</code>; send the token as "
        "<code>Authorization: Bearer …</code>, or use the cookie and send "
        "<code>X-CSRF-Token</code> with writes.</p>"
        "<table><thead><tr><th>method</th><th>path</th><th>what</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>"
    )
