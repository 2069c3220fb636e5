"""A request that may be retried (``Idempotency-Key``): a retry gets the first answer.

One object does it all, inside the operation's own transaction: ``replay``
right after the access check (the stored answer, if this key was seen), and
``remember`` right after the effect (stored with it, so both or neither stay).
Keys are per user; the fingerprint of the request catches a key reused for
a different one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rughernia.care.access import Actor
from rughernia.care.errors import InProgress, KeyReused, invalid
from rughernia.store import idempotency

HEADER = "Idempotency-Key"
MAX_KEY = 200
T = TypeVar("T")
Answer = tuple[int, dict[str, Any]]  # a status code and the body that went with it


class Replayed(Exception):
    """The key was seen with this same request: ``status`` and ``body`` are its answer."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def fingerprint(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True)
class Once(Generic[T]):
    """The key (or None: nothing to remember), what the request was, and how its answer reads.

    ``answer`` turns the operation's result into the answer a retry must get.
    """

    key: str | None
    request: tuple[str, str, Any]  # method, path, body
    answer: Callable[[T], Answer]
    lifetime: dt.timedelta

    def replay(self, session: Session, actor: Actor, at: dt.datetime) -> None:
        """Raise ``Replayed`` with the stored answer for this key; return when it is new."""
        if self.key is None or actor.user_id is None:
            return
        if not 1 <= len(self.key) <= MAX_KEY or not self.key.isprintable():
            raise invalid(f"header.{HEADER}", f"must be 1 to {MAX_KEY} printable characters")
        # Keys live for their lifetime (RUGHERNIA_IDEMPOTENCY_HOURS); older ones go first.
        idempotency.purge_user(session, actor.user_id, at - self.lifetime)
        stored = idempotency.find(session, actor.user_id, self.key)
        if stored is None:
            return
        if stored.fingerprint != fingerprint(*self.request):
            raise KeyReused(
                "This Idempotency-Key was used for a different request",
                "use a new key for a new request",
            )
        raise Replayed(stored.status_code, stored.body)

    def remember(
        self, session: Session, actor: Actor, result: T, patient_id: int | None, at: dt.datetime
    ) -> None:
        """Store the answer in the same transaction as its effect."""
        if self.key is None or actor.user_id is None:
            return
        status, body = self.answer(result)
        try:
            with session.begin_nested():
                idempotency.save(
                    session,
                    user_id=actor.user_id,
                    key=self.key,
                    fingerprint=fingerprint(*self.request),
                    status_code=status,
                    body=body,
                    patient_id=patient_id,
                    at=at,  # the same clock that decides when the key expires
                )
        except IntegrityError:
            # The same key raced us in another request; that one's effect wins.
            session.rollback()
            raise InProgress(
                "A request with this Idempotency-Key is in progress",
                "retry shortly to receive its answer",
                retry_after=1,
            ) from None
