"""What a request brings: path and header parameters, dates, the Idempotency-Key, JSON bodies.

Raw JSON bodies are for routes whose shape is the shared contract: they are
validated by ``parse_case`` in ``rughernia.care`` (so errors carry the
contract's field paths); FastAPI only documents them, through ``documented``.
Bad input is the domain's ``Invalid``, naming the field, as everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header, Path, Request
from pydantic import BaseModel

from rughernia.care.errors import Invalid, invalid
from rughernia.care.once import HEADER, Answer, Once
from rughernia.care.shapes import MAX_ID
from rughernia.contract.json_depth import TooDeep, check_depth
from rughernia.pathway.checks import Problem
from rughernia.web.context import Ctx
from rughernia.web.problems import ApiError

T = TypeVar("T")

# --- path and header parameters -------------------------------------------------------

PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="the patient's id")]
AssessmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description="a retry with the same key gets the first answer",
        min_length=1,
        max_length=200,
        pattern=r"^[\x20-\x7e]+$",
    ),
]


def once(
    ctx: Ctx, key: str | None, method: str, path: str, body: Any, answer: Callable[[T], Answer]
) -> Once[T]:
    """The request as the care layer remembers it for a retry with the same key."""
    lifetime = dt.timedelta(hours=ctx.settings.idempotency_hours)
    return Once(key, (method, path, body), answer, lifetime)


# --- dates in URLs: strictly YYYY-MM-DD -----------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# For Path()/Query(): the pattern is checked by FastAPI, the calendar by ``parse_date``.
DATE_SCHEMA: dict[str, Any] = {"pattern": _DATE.pattern, "json_schema_extra": {"format": "date"}}


def parse_date(value: str, path: str) -> dt.date:
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(path, f"{value[:40]!r} is not a valid date; use YYYY-MM-DD")


# --- JSON bodies ------------------------------------------------------------------------

# Models referenced from openapi_extra; the OpenAPI builder adds their schemas.
DOCUMENTED: dict[str, type[BaseModel]] = {}


def documented(model: type[BaseModel], description: str = "") -> dict[str, Any]:
    """``openapi_extra`` that shows ``model`` as the JSON request body of a route."""
    DOCUMENTED[model.__name__] = model
    return {
        "requestBody": {
            "required": True,
            "description": description or (model.__doc__ or "").strip(),
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
            },
        }
    }


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_media_type(request: Request) -> None:
    """415 for a body declared as anything but JSON (no Content-Type at all counts as JSON)."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    main, _, sub = kind.partition("/")
    if main != "application" or (sub != "json" and not sub.endswith("+json")):
        raise ApiError(415, "unsupported-media-type", "Send the body as application/json")


def json_media_type(request: Request) -> None:
    """For every API route (a dependency of the routers): a route with a request model
    checks the media type first, as the raw-JSON routes do in ``raw_json_body``. Without
    this, FastAPI leaves a text/plain body unparsed and the model calls it not an object
    (422), so the same mistake got a different answer on different routes."""
    if getattr(request.scope.get("route"), "body_field", None) is not None:
        check_media_type(request)


async def raw_json_body(request: Request) -> bytes:
    """The body as bytes, after the media-type check (its size is checked before, in
    ``web.limits``; it is parsed later, in one pass)."""
    check_media_type(request)
    return await request.body()


async def json_body(request: Request) -> Any:
    raw = await raw_json_body(request)
    try:
        check_depth(raw)  # before parsing: json.loads recurses once per level
    except TooDeep as exc:
        raise invalid("body", str(exc)) from None
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise invalid("body", "is not valid JSON") from None
    nul = _nul_path(data, "")
    if nul is not None:
        raise Invalid([Problem(nul or "body", "must not contain NUL characters")])
    return data


def _nul_path(value: Any, path: str) -> str | None:
    """The path of the first text holding a NUL (the database cannot store it)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                return sub
            found = _nul_path(item, sub)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def json_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    return data
