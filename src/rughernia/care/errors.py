"""Why an operation of the record did not happen: the domain errors, all of them.

Raised by ``rughernia.care`` (and by the surfaces' own input checks, for
``Invalid``); never an HTTP status. Each surface maps them once: the JSON API
to problem+json in ``web/problems.py`` (the status and ``type`` of each class
are listed there), the pages later to HTML.

    CareError
    ├── NotSignedIn            nobody is acting (no valid session)
    │   └── CdsTokenRefused    a CDS client's JWT is missing or refused (``reason`` says why)
    ├── SignInFailed           wrong username or password (or a blocked account)
    ├── Forbidden              this role may not do this at all
    ├── NotFound               no such record, or not one of yours (the same answer)
    │   ├── InvitationUnknown  an invitation code that is unknown, used or expired
    │   └── ResetCodeUnknown   a password reset code that is unknown, used, voided or expired
    ├── WrongPassword          the current password, to change it, is wrong
    ├── Invalid                the input has problems; ``problems`` names each field
    ├── KeyReused              an Idempotency-Key sent again with a different request
    ├── Conflict               the input does not fit what is stored
    │   ├── IntakeRequired         the intake's alarm questions come first
    │   ├── RecordNotAssessable    the stored record no longer makes a valid case
    │   ├── NoAlarm                acknowledging an assessment without an alarm
    │   ├── Superseded             acknowledging an assessment without today's alarms
    │   ├── UsernameTaken          a username that exists already
    │   ├── TeamExists             a team name that exists already
    │   ├── NoAccount              a patient who has not redeemed their invitation yet
    │   └── InProgress             the same Idempotency-Key is being answered now
    ├── Throttled              too many failed sign-ins; ``retry_after`` seconds
    ├── CdsPrefetchMissing     a CDS Hooks call without the prefetch it needs (CDS: 412)
    └── CdsRequestInvalid      a malformed CDS Hooks request (CDS: 400)

``title`` is a short sentence for people, ``detail`` (or None) says more, and
``retry_after`` (seconds, or None) says when trying again makes sense.

An ``Invalid`` keeps the first ``SHOWN_PROBLEMS`` problems and counts the rest in
``more``, and shortens what the input brought (a path, a message quoting a value): an
answer about bad input must not be many times larger than the input itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rughernia.pathway.checks import Problem

SHOWN_PROBLEMS = 20
MAX_PATH = 80  # a path (an unknown key, say) is the client's own text: shortened past this
MAX_MESSAGE = 200
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def shortened(problem: Problem) -> Problem:
    path, message = shorten(problem.path, MAX_PATH), shorten(problem.message, MAX_MESSAGE)
    if (path, message) == (problem.path, problem.message):
        return problem
    return Problem(path, message)


class CareError(Exception):
    def __init__(
        self,
        title: str,
        detail: str | None = None,
        *,
        problems: Sequence[Problem] = (),
        retry_after: int | None = None,
        more: int = 0,
    ) -> None:
        super().__init__(detail or title)
        self.title = title
        self.detail = detail
        self.problems = list(problems)
        self.retry_after = retry_after
        self.more = more  # problems found beyond those in ``problems``


class NotSignedIn(CareError):
    pass


class SignInFailed(CareError):
    pass


class Forbidden(CareError):
    pass


class NotFound(CareError):
    pass


class InvitationUnknown(NotFound):
    pass


class ResetCodeUnknown(NotFound):
    pass


class WrongPassword(CareError):
    pass


class Invalid(CareError):
    """The problems of the input at once (the first ``SHOWN_PROBLEMS``), each naming its field;
    ``more`` counts problems found but not given (those past the cap, or counted by the caller).
    """

    def __init__(
        self,
        problems: Iterable[Problem],
        title: str = "The request has invalid fields",
        *,
        more: int = 0,
    ) -> None:
        found = list(problems)
        shown = [shortened(p) for p in found[:SHOWN_PROBLEMS]]
        more += len(found) - len(shown)
        detail = "; ".join(str(p) for p in shown) + (f"; and {more} more" if more else "")
        super().__init__(title, detail, problems=shown, more=more)


class KeyReused(CareError):
    pass


class Conflict(CareError):
    pass


class IntakeRequired(Conflict):
    pass


class RecordNotAssessable(Conflict):
    pass


class NoAlarm(Conflict):
    pass


class Superseded(Conflict):
    """The assessment acted on does not show every alarm of today's decision: look again."""


class UsernameTaken(Conflict):
    pass


class TeamExists(Conflict):
    pass


class NoAccount(Conflict):
    pass


class InProgress(Conflict):
    pass


class Throttled(CareError):
    pass


class CdsTokenRefused(NotSignedIn):
    pass


class CdsPrefetchMissing(CareError):
    pass


class CdsRequestInvalid(CareError):
    pass


def invalid(path: str, message: str) -> Invalid:
    """The common case: one field, one problem."""
    return Invalid([Problem(path, message)])
