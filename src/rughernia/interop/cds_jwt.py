"""Verifying a CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"), with joserfc.

Pure: the time (``now``) and the store of ``jti`` values already seen are arguments.
The key set is the client's JWKS (configured, never fetched from ``jku`` here).
Asymmetric algorithms only: CDS Hooks forbids ``none`` and every HMAC algorithm.
"""

from __future__ import annotations

import json
from collections.abc import Collection, MutableSet
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    DecodeError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from rughernia.interop.errors import TokenRefused

ALGORITHMS = ("ES384", "RS384", "ES256", "RS256", "ES512", "RS512", "PS384", "EdDSA")
LEEWAY_SECONDS = 30  # clock skew between the EHR and us


def claimed_issuer(token: str) -> str:
    """The ``iss`` a token claims, read before anything is verified: it only chooses whose
    key set to verify it with (``verify_jwt`` then checks it with the claims)."""
    try:
        claims = json.loads(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError, TypeError) as exc:
        raise TokenRefused("malformed", f"not a signed JWT we accept: {exc}") from None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise TokenRefused("missing-claim", "required claim missing: iss")
    return issuer


def verify_jwt(
    token: str,
    jwks: dict[str, Any],
    issuer: str | Collection[str],
    audience: str,
    now: int,
    seen_jti: MutableSet[str],
) -> dict[str, Any]:
    """The claims of a valid token, or TokenRefused with the reason.

    Checks the signature (the key named by ``kid`` in ``jwks``), ``iss`` (``issuer``, or
    one of several), ``aud`` (a
    string or a list holding ``audience``), ``exp`` (required) and ``iat``, and that
    ``jti`` was not seen before; a token that passes adds its ``jti`` to ``seen_jti``.
    """
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise TokenRefused("bad-jwks", f"the configured key set cannot be read: {exc}") from None
    try:
        decoded = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    except BadSignatureError:
        raise TokenRefused("bad-signature", "the signature does not verify") from None
    except (DecodeError, JoseError, ValueError) as exc:
        raise TokenRefused("malformed", f"not a signed JWT we accept: {exc}") from None
    # CDS Hooks requires both header fields; a key set must name the key it signs with.
    if decoded.header.get("typ") != "JWT" or not decoded.header.get("kid"):
        raise TokenRefused("malformed", "the header needs typ JWT and a kid")
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY_SECONDS,
        iss=(
            {"essential": True, "value": issuer}
            if isinstance(issuer, str)
            else {"essential": True, "values": sorted(issuer)}
        ),
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
    )
    claims = decoded.claims
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise TokenRefused("expired", "the token has expired (exp)") from None
    except MissingClaimError as exc:
        raise TokenRefused("missing-claim", f"required claim missing: {exc.description}") from None
    except InvalidClaimError as exc:
        name = str(getattr(exc, "claim", ""))
        reason = {"iss": "wrong-issuer", "aud": "wrong-audience"}.get(name, "invalid-claim")
        raise TokenRefused(reason, str(exc.description)) from None
    jti = str(claims["jti"])
    if jti in seen_jti:
        raise TokenRefused("replayed", f"jti {jti!r} was used before")
    seen_jti.add(jti)
    return dict(claims)
