"""``Idempotency-Key`` on POSTs: a retry with the same key gets the first answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rughernia.pathway.checks import Problem
from rughernia.store import idempotency
from rughernia.web.context import Ctx
from rughernia.web.problems import ApiError, invalid

HEADER = "Idempotency-Key"
MAX_KEY = 200


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY or not key.isprintable():
        message = f"must be 1 to {MAX_KEY} printable characters"
        raise invalid([Problem(f"header.{HEADER}", message)])
    return key


def fingerprint(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(session: Session, ctx: Ctx, key: str | None, print_: str) -> JSONResponse | None:
    """The stored answer for this key, or None when the request is new."""
    if key is None or ctx.user is None:
        return None
    # Keys live for RUGHERNIA_IDEMPOTENCY_HOURS; older ones are forgotten first.
    idempotency.purge_user(
        session, ctx.user.id, ctx.now - dt.timedelta(hours=ctx.settings.idempotency_hours)
    )
    stored = idempotency.find(session, ctx.user.id, key)
    if stored is None:
        return None
    if stored.fingerprint != print_:
        raise ApiError(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different request",
            "use a new key for a new request",
        )
    return JSONResponse(stored.body, stored.status_code, headers={"Idempotent-Replayed": "true"})


def remember(
    session: Session,
    ctx: Ctx,
    key: str | None,
    print_: str,
    status_code: int,
    body: dict[str, Any],
    patient_id: int | None,
) -> None:
    """Store the answer in the same transaction as its effect."""
    if key is None or ctx.user is None:
        return
    try:
        with session.begin_nested():
            idempotency.save(
                session,
                user_id=ctx.user.id,
                key=key,
                fingerprint=print_,
                status_code=status_code,
                body=body,
                patient_id=patient_id,
                at=ctx.now,  # the same clock that decides when the key expires
            )
    except IntegrityError:
        # The same key raced us in another request; that one's effect wins.
        session.rollback()
        raise ApiError(
            409,
            "idempotency-conflict",
            "A request with this Idempotency-Key is in progress",
            "retry shortly to receive its answer",
            headers={"Retry-After": "1"},
        ) from None
