"""The CDS client's JWT: accepted when right, refused with a reason when not."""

from __future__ import annotations

from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from rughernia.interop import TokenRefused
from rughernia.interop.cds_jwt import verify_jwt

NOW = 1_780_000_000
ISS = "https://ehr.example.org"
AUD = "https://rughernia.example/cds-services/rughernia-patient-view"
KEY = ECKey.generate_key("P-384", parameters={"kid": "ehr-1"}, private=True)
OTHER = ECKey.generate_key("P-384", parameters={"kid": "ehr-1"}, private=True)
JWKS: dict[str, Any] = dict(KeySet([KEY]).as_dict(private=False))


def token(key: Any = KEY, alg: str = "ES384", **claims: Any) -> str:
    body = {"iss": ISS, "aud": AUD, "exp": NOW + 300, "iat": NOW, "jti": "j-1", **claims}
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode({"alg": alg, "kid": "ehr-1"}, body, key, algorithms=[alg])


def refused(value: str, seen: set[str] | None = None) -> str:
    with pytest.raises(TokenRefused) as info:
        verify_jwt(value, JWKS, ISS, AUD, NOW, set() if seen is None else seen)
    return info.value.reason


def test_a_good_token_is_accepted_once() -> None:
    seen: set[str] = set()
    claims = verify_jwt(token(), JWKS, ISS, AUD, NOW, seen)
    assert claims["iss"] == ISS
    assert claims["jti"] == "j-1"
    assert seen == {"j-1"}
    assert refused(token(), seen) == "replayed"
    assert verify_jwt(token(jti="j-2", aud=[AUD, "x"]), JWKS, ISS, AUD, NOW, seen)["jti"] == "j-2"


def test_rsa_keys_work_too() -> None:
    rsa = RSAKey.generate_key(2048, parameters={"kid": "ehr-1"}, private=True)
    jwks: dict[str, Any] = dict(KeySet([rsa]).as_dict(private=False))
    value = token(rsa, "RS384")
    assert verify_jwt(value, jwks, ISS, AUD, NOW, set())["aud"] == AUD


def test_refused_for_a_wrong_signature() -> None:
    assert refused(token(OTHER)) == "bad-signature"


def test_refused_for_a_wrong_audience_or_issuer() -> None:
    assert refused(token(aud="https://elsewhere.example/cds-services/x")) == "wrong-audience"
    assert refused(token(iss="https://evil.example")) == "wrong-issuer"


def test_refused_when_expired_and_expiry_is_required() -> None:
    assert refused(token(exp=NOW - 31)) == "expired"
    assert verify_jwt(token(exp=NOW - 29), JWKS, ISS, AUD, NOW, set())  # within the leeway
    assert refused(token(exp=None)) == "missing-claim"
    assert refused(token(jti=None)) == "missing-claim"


def test_refused_for_hmac_none_and_garbage() -> None:
    secret = OctKey.generate_key(256, parameters={"kid": "ehr-1"})
    assert refused(jwt.encode({"alg": "HS256"}, {"iss": ISS}, secret)) == "malformed"
    assert refused("not.a.jwt") == "malformed"
    with pytest.raises(TokenRefused, match="bad-jwks"):
        verify_jwt(token(), {"keys": [{"kty": "nope"}]}, ISS, AUD, NOW, set())


def test_refused_without_a_kid_or_typ() -> None:
    body = {"iss": ISS, "aud": AUD, "exp": NOW + 300, "iat": NOW, "jti": "j-9"}
    no_kid = jwt.encode({"alg": "ES384"}, body, KEY, algorithms=["ES384"])
    assert refused(no_kid) == "malformed"
    no_typ = jwt.encode(
        {"alg": "ES384", "kid": "ehr-1"}, body, KEY, algorithms=["ES384"], default_type=None
    )
    assert refused(no_typ) == "malformed"


def test_a_refused_token_does_not_burn_its_jti() -> None:
    seen: set[str] = set()
    refused(token(OTHER), seen)
    assert seen == set()
