"""The problem answers each route may give, as OpenAPI response descriptions (see problems.py)."""

from __future__ import annotations

from typing import Any

# Written out (not generated) so it needs no $defs inside the OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "pointer", "message"],
                "properties": {
                    "path": {"type": "string"},
                    "pointer": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "more": {
            "type": "integer",
            "minimum": 1,
            "description": "how many problems were found beyond the first 20 listed in errors",
        },
    },
}

Responses = dict[int | str, dict[str, Any]]


def problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


VALIDATION: Responses = {422: problem("Invalid input; errors name each field")}
SIGNED_IN: Responses = {
    401: problem("Not signed in"),
    403: problem("Not allowed for this role, or a missing CSRF token"),
    **VALIDATION,
}
PATIENT: Responses = {**SIGNED_IN, 404: problem("No such patient (or not yours)")}
CONFLICT: Responses = {409: problem("Conflicts with the stored state")}
MEDIA_TYPE: Responses = {415: problem("The body is not sent as application/json")}
THROTTLED: Responses = {429: problem("Too many failed attempts; wait Retry-After seconds")}
