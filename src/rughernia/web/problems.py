"""Errors as ``application/problem+json`` (RFC 9457), and the handlers that make them.

Every error leaves the app through here, mapped once: the domain errors of
``rughernia.care.errors`` (by ``CARE_PROBLEMS``: status and ``type``), the
web's own ``ApiError`` (what only HTTP can get wrong: a token header, CSRF,
the media type, the body size), FastAPI's request validation, the contract's
``CaseInvalid``, unknown routes, database trouble, and, as a last resort, any
other exception, which becomes a bare 500 without a trace. Validation problems
carry ``errors``: one ``{path, pointer, message}`` each, worded by us (Pydantic's
errors through ``contract.messages``), the first 20 of them, and ``more`` counts the
rest. A replayed ``Idempotency-Key`` leaves here too, as its first answer.

Every problem ``type`` that can be sent is a member of ``CareKind`` or ``WebKind``:
mypy holds each raise to them, and a test holds docs/api.md to them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from rughernia.care import errors as care
from rughernia.care.once import Replayed
from rughernia.contract import CaseInvalid
from rughernia.pathway.checks import Problem
from rughernia.web import validation

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://rughernia.example/problems/"
log = logging.getLogger("rughernia.web")
# Set in the scope by web/timeouts.py once it answered 408: the disconnect the app then
# sees is that middleware's, not the client's.
BODY_TIMED_OUT = "rughernia.body_timed_out"


CareKind = Literal[
    "unauthenticated",
    "sign-in-failed",
    "forbidden",
    "not-found",
    "invitation-unknown",
    "reset-code-unknown",
    "wrong-password",
    "validation",
    "idempotency-key-reused",
    "conflict",
    "intake-required",
    "record-not-assessable",
    "no-alarm",
    "superseded",
    "username-taken",
    "team-exists",
    "no-account",
    "idempotency-conflict",
    "throttled",
    "prefetch-missing",
    "cds-request-invalid",
]
# What only HTTP can get wrong (raised as ApiError by the web layer itself).
WebKind = Literal[
    "unauthenticated",
    "csrf",
    "not-found",
    "method-not-allowed",
    "request-timeout",
    "http",
    "too-large",
    "unsupported-media-type",
    "unstorable-value",
    "conflict",
    "unavailable",
    "internal",
]
Kind = CareKind | WebKind

# Each domain error's status and problem type; a subclass not named here takes its parent's.
CARE_PROBLEMS: dict[type[care.CareError], tuple[int, CareKind]] = {
    care.NotSignedIn: (401, "unauthenticated"),
    care.SignInFailed: (401, "sign-in-failed"),
    care.Forbidden: (403, "forbidden"),
    care.NotFound: (404, "not-found"),
    care.InvitationUnknown: (404, "invitation-unknown"),
    care.ResetCodeUnknown: (404, "reset-code-unknown"),
    # 403, not 401: the session is valid; only the password given to change it is wrong.
    care.WrongPassword: (403, "wrong-password"),
    care.Invalid: (422, "validation"),
    care.KeyReused: (422, "idempotency-key-reused"),
    care.Conflict: (409, "conflict"),
    care.IntakeRequired: (409, "intake-required"),
    care.RecordNotAssessable: (409, "record-not-assessable"),
    care.NoAlarm: (409, "no-alarm"),
    care.Superseded: (409, "superseded"),
    care.UsernameTaken: (409, "username-taken"),
    care.TeamExists: (409, "team-exists"),
    care.NoAccount: (409, "no-account"),
    care.InProgress: (409, "idempotency-conflict"),
    care.Throttled: (429, "throttled"),
    care.CdsTokenRefused: (401, "unauthenticated"),
    care.CdsPrefetchMissing: (412, "prefetch-missing"),
    care.CdsRequestInvalid: (400, "cds-request-invalid"),
}


class ApiError(Exception):
    """An answer other than success that only HTTP has: raised by the web layer itself."""

    def __init__(
        self,
        status: int,
        kind: Kind,
        title: str,
        detail: str | None = None,
        *,
        errors: Sequence[Problem] = (),
        headers: dict[str, str] | None = None,
        more: int = 0,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.more = more  # problems found beyond ``errors``


def from_care(error: care.CareError) -> ApiError:
    """The problem a domain error is, over HTTP."""
    status, kind = next(CARE_PROBLEMS[cls] for cls in type(error).__mro__ if cls in CARE_PROBLEMS)
    headers = {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}
    return ApiError(
        status,
        kind,
        error.title,
        error.detail,
        errors=error.problems,
        headers=headers,
        more=error.more,
    )


def is_unauthenticated(error: Exception) -> bool:
    """No valid session (the db dependency audits such attempts on a record)."""
    if isinstance(error, care.NotSignedIn):
        return True
    return isinstance(error, ApiError) and error.status == 401


def invalid(
    problems: Iterable[Problem], title: str = "The request has invalid fields", *, more: int = 0
) -> ApiError:
    return from_care(care.Invalid(problems, title, more=more))


def problem_body(
    status: int,
    kind: Kind,
    title: str,
    detail: str | None,
    errors: Sequence[Problem] = (),
    more: int = 0,
) -> dict[str, Any]:
    """The JSON of a problem. At most ``SHOWN_PROBLEMS`` errors, each echo shortened
    (``care.Invalid`` does both already; this holds for every other error too)."""
    body: dict[str, Any] = {"type": TYPE_BASE + kind, "title": title, "status": status}
    if detail:
        body["detail"] = care.shorten(detail, 20 * care.MAX_MESSAGE)
    shown = [care.shortened(p) for p in errors[: care.SHOWN_PROBLEMS]]
    if shown:
        body["errors"] = [
            {
                "path": p.path,
                "pointer": care.shorten(pointer(p.path), care.MAX_PATH + 2),
                "message": p.message,
            }
            for p in shown
        ]
    more += len(errors) - len(shown)
    if more:
        body["more"] = more
    return body


def problem_response(error: ApiError) -> JSONResponse:
    body = problem_body(
        error.status, error.kind, error.title, error.detail, error.errors, error.more
    )
    return JSONResponse(body, error.status, headers=error.headers, media_type=PROBLEM_JSON)


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def pointer(path: str) -> str:
    """``diary[3].leg_pain`` as the JSON Pointer ``#/diary/3/leg_pain``."""
    parts = [m.group(1) or m.group(2) for m in _PART.finditer(path)]
    escaped = (p.replace("~", "~0").replace("/", "~1") for p in parts)
    return "#/" + "/".join(escaped) if parts else "#"


def allowed_methods(request: Request) -> str:
    """Every method of every route on this path (each method is its own route in FastAPI)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(route.methods or ())
    if "GET" in methods:
        methods.add("HEAD")  # answered as GET by web.head
    return ", ".join(sorted(methods))


def _from_validation(exc: RequestValidationError) -> ApiError:
    found, more = validation.problems(exc.errors(), exc.body)
    return invalid(found, more=more)


def install(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return problem_response(exc)

    async def on_care_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, care.CareError)
        return problem_response(from_care(exc))

    async def on_replayed(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Replayed)
        return JSONResponse(exc.body, exc.status, headers={"Idempotent-Replayed": "true"})

    async def on_case_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CaseInvalid)
        title = "The case has invalid fields"
        return problem_response(invalid(exc.problems, title, more=exc.more))

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_from_validation(exc))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            # FastAPI's answer to a body it cannot decode: to the client, invalid input.
            return problem_response(invalid([Problem("body", "is not valid JSON")]))
        titles = {404: "Not found", 405: "Method not allowed"}
        title = titles.get(exc.status_code, "Request not handled")
        kinds: dict[int, WebKind] = {404: "not-found", 405: "method-not-allowed"}
        kind = kinds.get(exc.status_code, "http")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem_response(ApiError(exc.status_code, kind, title, headers=headers))

    async def on_data_error(_request: Request, exc: Exception) -> JSONResponse:
        # A value the database refuses (out of its range, a NUL byte) is bad input, not a crash.
        log.warning("database refused a value: %s", type(exc).__name__)
        error = ApiError(422, "unstorable-value", "A value in the request cannot be stored")
        return problem_response(error)

    async def on_integrity(_request: Request, exc: Exception) -> JSONResponse:
        # Two requests raced for the same unique thing (a username, an acknowledgement);
        # the other one won and this one changed nothing. Retrying gives the settled answer.
        log.info("integrity conflict: %s", type(exc).__name__)
        error = ApiError(409, "conflict", "A simultaneous request changed the same thing")
        error.headers["Retry-After"] = "1"
        return problem_response(error)

    async def on_operational(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        error = ApiError(503, "unavailable", "The service is busy; try again shortly")
        error.headers["Retry-After"] = "2"
        return problem_response(error)

    async def on_disconnect(request: Request, exc: Exception) -> Response:
        # The client went away before sending its whole body: nobody to answer, and not
        # our error (it logged "unhandled error" with a traceback). A body that timed out
        # was logged where it was answered (web/timeouts.py).
        if not request.scope.get(BODY_TIMED_OUT):
            log.info("client disconnected before sending the body: %s", request.url.path)
        return Response(status_code=400)

    async def on_crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(ApiError(500, "internal", "Something went wrong on our side"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(care.CareError, on_care_error)
    app.add_exception_handler(Replayed, on_replayed)
    app.add_exception_handler(CaseInvalid, on_case_invalid)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DataError, on_data_error)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(OperationalError, on_operational)
    app.add_exception_handler(ClientDisconnect, on_disconnect)
    app.add_exception_handler(Exception, on_crash)
