"""Throttling of guesses: sign-in and invitation redeem.

The threat (OWASP ASVS 4.0 V2.2.1): online guessing of passwords, of names
that exist, and of codes, from one address or at one account. The policy
(docs/api.md, "Throttling"):

- one name (or one valid code) is locked after ``max_failures`` failures within
  the window, for the window: guessing at one account stops there;
- one address is never locked, because a practice behind one NAT shares it.
  After ``address_free`` failures each further attempt from it must wait a
  delay that doubles with each failure, up to ``address_max_delay``; an attempt
  that comes sooner is refused with the time left, and is not counted, so
  refusals do not push the delay further. A user with no failures of their own
  therefore signs in from that address within ``address_max_delay``.

Every attempt is counted as a failure before its password or code is checked
and taken back when it was right, so attempts sent in parallel meet the lock
and the delay too.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rughernia.care.errors import Throttled
from rughernia.settings import Settings
from rughernia.store import accounts


@dataclass(frozen=True, slots=True)
class Policy:
    max_failures: int  # per name or code, then locked for the window
    window: dt.timedelta
    address_free: int  # failures from an address before its delays start
    address_max_delay: dt.timedelta


def policy(settings: Settings, *, max_failures: int | None = None) -> Policy:
    return Policy(
        max_failures=settings.login_max_failures if max_failures is None else max_failures,
        window=dt.timedelta(minutes=settings.login_window_minutes),
        address_free=settings.login_address_free_failures,
        address_max_delay=dt.timedelta(seconds=settings.login_address_max_delay_seconds),
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt: the key of what it guesses at (a name, a code; None: nothing of its own)
    and its address's key, e.g. ``name:dokter`` and ``addr:10.0.0.7``."""

    own_key: str | None
    address_key: str
    policy: Policy
    now: dt.datetime

    @property
    def keys(self) -> tuple[str, ...]:
        # Always the attempt's own key first, then the address: one order, no deadlocks.
        return (self.own_key, self.address_key) if self.own_key else (self.address_key,)


def hold(session: Session, attempt: Attempt) -> None:
    """Lock the attempt's counters for this transaction; refuse a locked name or code and
    an address whose delay has not passed (``Throttled``, with the seconds to wait)."""
    for key in attempt.keys:
        until = accounts.locked_until(session, key, attempt.now, hold=True)
        if until is not None:
            wait = max(1, math.ceil((until - attempt.now).total_seconds()))
            raise Throttled(
                "Too many failed attempts", f"try again in {wait} seconds", retry_after=wait
            )


def count(session: Session, attempt: Attempt) -> None:
    """Count the attempt as a failure (taken back by ``forgive`` when it was right)."""
    p = attempt.policy
    if attempt.own_key:
        accounts.record_failure(
            session, attempt.own_key, attempt.now, max_failures=p.max_failures, window=p.window
        )
    accounts.record_address_failure(
        session,
        attempt.address_key,
        attempt.now,
        free=p.address_free,
        window=p.window,
        max_delay=p.address_max_delay,
    )


def forgive(session: Session, attempt: Attempt) -> None:
    """The attempt was right: its name's failures are cleared, its address's count is
    taken back. A delay the address had earned stays: a right attempt takes its turn
    like any other, so signing in to one's own account between guesses buys no speed."""
    if attempt.own_key:
        accounts.clear_failures(session, attempt.own_key)
    accounts.forgive_failure(session, attempt.address_key, max_failures=attempt.policy.address_free)
