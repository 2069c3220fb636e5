"""CDS Hooks 2.0 feedback: what the clinician did with a card, read from the request.

Pure: returns rows to store, or raises HookInvalid naming the path of the first problem.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.interop.errors import HookInvalid

OUTCOMES = ("accepted", "overridden")
CARD_MAX = 100  # our cards' uuids are 36 characters
MAX_ITEMS = 100


def parse_feedback(body: Any) -> list[dict[str, Any]]:
    """``{"feedback": [...]}`` as rows: card, outcome, outcome_at (aware), detail."""
    if not isinstance(body, dict) or not isinstance(body.get("feedback"), list):
        raise HookInvalid('the body must be an object with a "feedback" array')
    items = body["feedback"]
    if not items or len(items) > MAX_ITEMS:
        raise HookInvalid(f"feedback must hold 1 to {MAX_ITEMS} entries")
    return [_item(f"feedback[{i}]", item) for i, item in enumerate(items)]


def _item(where: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise HookInvalid(f"{where} must be an object")
    card = item.get("card")
    if not isinstance(card, str) or not 0 < len(card) <= CARD_MAX:
        raise HookInvalid(f"{where}.card must be the card's uuid (1 to {CARD_MAX} characters)")
    outcome = item.get("outcome")
    if outcome not in OUTCOMES:
        raise HookInvalid(f"{where}.outcome must be one of: {', '.join(OUTCOMES)}")
    at = _instant(f"{where}.outcomeTimestamp", item.get("outcomeTimestamp"))
    detail: dict[str, Any] = {}
    accepted = item.get("acceptedSuggestions")
    if accepted is not None:
        ok = isinstance(accepted, list) and all(
            isinstance(s, dict) and isinstance(s.get("id"), str) for s in accepted
        )
        if not ok:
            raise HookInvalid(f"{where}.acceptedSuggestions must be a list of {{id}} objects")
        detail["acceptedSuggestions"] = [{"id": s["id"][:100]} for s in accepted[:20]]
    reason = item.get("overrideReason")
    if reason is not None:
        if outcome != "overridden" or not isinstance(reason, dict):
            raise HookInvalid(f"{where}.overrideReason is an object, for an overridden card")
        comment = reason.get("userComment")
        if comment is not None and not isinstance(comment, str):
            raise HookInvalid(f"{where}.overrideReason.userComment must be text")
        code = reason.get("reason")
        detail["overrideReason"] = {
            **({"reason": _coding(f"{where}.overrideReason.reason", code)} if code else {}),
            **({"userComment": comment[:1000]} if comment else {}),
        }
    return {"card": card, "outcome": outcome, "outcome_at": at, "detail": detail}


def _coding(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(k, ""), str) for k in ("system", "code", "display")
    ):
        raise HookInvalid(f"{where} must be a Coding (system, code, display)")
    return {k: str(value[k])[:200] for k in ("system", "code", "display") if k in value}


def _instant(where: str, value: Any) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        # In UTC: year 1 at +14:00 is before the first instant Python has (OverflowError).
        utc = at.astimezone(dt.UTC) if at.tzinfo is not None else None
    except (ValueError, OverflowError):
        utc = None
    if not isinstance(value, str) or utc is None:
        raise HookInvalid(f"{where} must be a date and time with a zone (ISO 8601)")
    return utc
