"""What a request brings: path and header parameters, dates, the Idempotency-Key, JSON bodies.

Raw JSON bodies are for routes whose shape is the shared contract: they are
validated by ``parse_case`` in ``rughernia.care`` (so errors carry the
contract's field paths); FastAPI only documents them, through ``documented``.
Bad input is the domain's ``Invalid``, naming the field, as everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header, Path, Request
from pydantic import BaseModel
from pydantic_core import from_json
from starlette.concurrency import run_in_threadpool

from rughernia.care.errors import Invalid, invalid
from rughernia.care.once import HEADER, Answer, Once
from rughernia.care.shapes import MAX_ID
from rughernia.contract.json_depth import TooDeep, check_depth, within
from rughernia.pathway.checks import Problem
from rughernia.web.context import Ctx
from rughernia.web.ids import canonical
from rughernia.web.problems import ApiError

T = TypeVar("T")

# --- path and header parameters -------------------------------------------------------

# Ids only in canonical form (``web.ids``): /patients/01 or /patients/1.0 is a 422, not patient 1.
PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="the patient's id"), canonical(MAX_ID)]
AssessmentId = Annotated[int, Path(ge=1, le=MAX_ID), canonical(MAX_ID)]
UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="the account's id"), canonical(MAX_ID)]
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


def date_range(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``?from=&to=`` as dates (either may be open); ``from`` after ``to`` is a mistake, not []."""
    first = parse_date(start, "query.from") if start else None
    last = parse_date(end, "query.to") if end else None
    if first is not None and last is not None and first > last:
        raise invalid("query.from", f"is after query.to ({last.isoformat()}); swap them")
    return first, last


# --- query strings: one value per parameter -------------------------------------------


async def one_value_each(request: Request) -> None:
    """A query parameter given twice is a 422 naming it (for every route: see ``api.install``).

    FastAPI would take one of the values silently; which one the client meant is a guess.
    """
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _value in request.query_params.multi_items():
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    if repeated:
        raise Invalid(
            [
                Problem(f"query.{key[:40]}", "is given more than once; send it once")
                for key in repeated
            ]
        )


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


# Larger bodies are parsed in a worker thread, so that one cannot stall the event loop
# (a year's CDS Hooks request, 1.2 MB, takes about 10 ms to read).
INLINE_BYTES = 64 * 1024


async def json_body(request: Request) -> Any:
    raw = await raw_json_body(request)
    if len(raw) <= INLINE_BYTES:
        return parse_json_body(raw)
    return await run_in_threadpool(parse_json_body, raw)


def parse_json_body(raw: bytes) -> Any:
    """A JSON body as data, by the rules of every raw-JSON route: nested at most
    ``MAX_DEPTH`` deep, strictly UTF-8 (no BOM, no UTF-16 or UTF-32 guessed), no NaN or
    Infinity, no lone surrogate, and no NUL in any text (the database cannot store it)."""
    if not within(raw):  # the exact count only when the quick one is unsure
        _check_depth(raw)
    try:
        # Pydantic's parser, as /assess's: UTF-8 only, a BOM refused, NaN and Infinity
        # refused. Its own nesting limit (about 200) is never reached after the check.
        data = from_json(raw, allow_inf_nan=False)
    except ValueError:
        _check_depth(raw)  # a text nested too deep says so, valid or not
        raise invalid("body", "is not valid JSON") from None
    # A NUL is in a JSON text only as the escape \u0000 (a raw control character is
    # invalid): the walk that names its place runs only when the text has one.
    if b"\\u0000" in raw:
        nul = _nul_path(data, "")
        if nul is not None:
            raise Invalid([Problem(nul or "body", "must not contain NUL characters")])
    return data


def _check_depth(raw: bytes) -> None:
    try:
        check_depth(raw)
    except TooDeep as exc:
        raise invalid("body", str(exc)) from None


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
