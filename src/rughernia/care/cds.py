"""CDS Hooks 2.0, the use cases: trust the caller (JWT), answer patient-view, keep feedback.

The mappings are pure (``rughernia.interop``); here are what needs the store (the
JWT ids seen, the feedback) and the errors of the domain (412 and 400 by the
specification, 401 for a refused token). patient-view reads nothing of our
records: the EHR sends its own data as prefetch, and the cards come from the same
``assess()`` as every other surface.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rughernia.care.errors import CdsPrefetchMissing, CdsRequestInvalid, CdsTokenRefused
from rughernia.content import load
from rughernia.content.questionnaire import Language
from rughernia.interop import HookInvalid, PrefetchMissing, TokenRefused, cds
from rughernia.interop.cds_feedback import parse_feedback
from rughernia.interop.cds_jwt import LEEWAY_SECONDS, claimed_issuer, verify_jwt
from rughernia.pathway import assess
from rughernia.store import cds as cds_store

# CDS Hooks asks for tokens of at most 5 minutes; a longer one would have us keep its jti
# for as long. An hour allows for clock trouble and still bounds the replay store.
MAX_LIFETIME_SECONDS = 3600
REFUSED = "The CDS client's token is refused"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls: the JWT's issuer, or None for an unsigned call in demo mode."""

    issuer: str | None


@dataclass(frozen=True, slots=True)
class Trust:
    """What the settings say about CDS clients."""

    keys: dict[str, dict[str, Any]] | None  # each issuer's JWKS; None: no client configured
    issuers: tuple[str, ...]
    demo: bool


def authenticate(
    session: Session, authorization: str | None, trust: Trust, audience: str, *, at: dt.datetime
) -> Caller:
    """The caller of ``audience`` (the URL called), or CdsTokenRefused.

    A token that verifies has its ``jti`` remembered (committed now): the same token is
    refused afterwards, in every worker process.
    """
    if authorization is None:
        if trust.demo:
            return Caller(None)
        raise CdsTokenRefused(REFUSED, "send Authorization: Bearer <JWT> (CDS Hooks 2.0)")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise CdsTokenRefused(REFUSED, "use 'Authorization: Bearer <JWT>'")
    if trust.keys is None or not trust.issuers:
        raise CdsTokenRefused(REFUSED, "no CDS client is configured (RUGHERNIA_CDS_JWKS_FILE)")
    now = int(at.timestamp())
    try:
        # The issuer the token names picks the key set; the signature is then verified
        # with that issuer's keys only, and iss checked again with the claims.
        issuer = claimed_issuer(token.strip())
        if issuer not in trust.keys or issuer not in trust.issuers:
            raise TokenRefused("wrong-issuer", f"{issuer[:80]!r} is not a configured issuer")
        claims = verify_jwt(token.strip(), trust.keys[issuer], issuer, audience, now, set())
    except TokenRefused as exc:
        raise CdsTokenRefused(REFUSED, str(exc)) from None
    issuer, jti, exp = str(claims["iss"]), str(claims["jti"]), claims["exp"]
    if not isinstance(exp, int | float) or exp > now + MAX_LIFETIME_SECONDS:
        raise CdsTokenRefused(REFUSED, f"exp must be at most {MAX_LIFETIME_SECONDS} s ahead")
    if not 0 < len(jti) <= 255:
        raise CdsTokenRefused(REFUSED, "malformed: jti must have 1 to 255 characters")
    keep_until = dt.datetime.fromtimestamp(int(exp) + LEEWAY_SECONDS, dt.UTC)
    if not cds_store.first_use(session, issuer, jti, keep_until, at=at):
        session.rollback()
        raise CdsTokenRefused(REFUSED, f"replayed: jti {jti[:40]!r} was used before")
    session.commit()
    return Caller(issuer)


def patient_view(body: Any, *, today: dt.date, lang: Language, patient_page: str) -> dict[str, Any]:
    """The cards of a patient-view call. ``patient_page`` is our page's URL with ``{id}``,
    for the link shown when the EHR's Patient carries our patient id."""
    prefetch = _hook_request(body, "patient-view")
    try:
        _, case, unused = cds.prefetch_case(prefetch, today, lang)
    except PrefetchMissing as exc:
        raise CdsPrefetchMissing("Required prefetch is missing", str(exc)) from None
    except HookInvalid as exc:
        raise CdsRequestInvalid("The CDS Hooks request is malformed", str(exc)) from None
    assessment = assess(case, load())
    ours = cds.our_patient_id(prefetch)
    link = None if ours is None else patient_page.format(id=ours)
    card = cds.cards(assessment, lang, link, uuid=str(uuid.uuid4()), unused=unused)
    return {"cards": card}


def _hook_request(body: Any, hook: str) -> dict[str, Any]:
    """The request's prefetch, after the request itself is checked (context, patient id)."""

    def bad(detail: str) -> CdsRequestInvalid:
        return CdsRequestInvalid("The CDS Hooks request is malformed", detail)

    if not isinstance(body, dict):
        raise bad("the body must be a JSON object (a CDS Hooks request)")
    if body.get("hook") != hook:
        raise bad(f"hook must be {hook!r} for this service")
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        raise bad("hookInstance must be a non-empty string")
    context = body.get("context")
    if not isinstance(context, dict) or not isinstance(context.get("patientId"), str):
        raise bad("context.patientId must be a string")
    prefetch = body.get("prefetch")
    if prefetch is None:  # we do not fetch from the EHR's FHIR server: all must come along
        raise CdsPrefetchMissing(
            "Required prefetch is missing", f"missing required prefetch: {', '.join(cds.REQUIRED)}"
        )
    if not isinstance(prefetch, dict):
        raise bad("prefetch must be a JSON object of prefetch keys")
    patient = prefetch.get("patient")
    if isinstance(patient, dict) and patient.get("id") not in (None, context["patientId"]):
        raise bad("prefetch.patient.id differs from context.patientId")
    return prefetch


def feedback(
    session: Session, caller: Caller, service_id: str, body: Any, *, at: dt.datetime
) -> int:
    """Store what the clinician did with each card; the number of entries kept."""
    try:
        rows = parse_feedback(body)
    except HookInvalid as exc:
        raise CdsRequestInvalid("The feedback is malformed", str(exc)) from None
    cds_store.add_feedback(session, caller.issuer, service_id, rows, at=at)
    session.commit()
    return len(rows)
