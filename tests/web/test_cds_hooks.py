"""CDS Hooks 2.0 through the real app: discovery, patient-view for each triage level,
412 and 400, the JWT (accepted; refused for signature, audience, issuer, expiry, replay),
demo mode, and feedback."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet
from sqlalchemy import func, select

from rughernia.interop import codes
from rughernia.interop.texts import text
from rughernia.settings import Settings
from rughernia.store.tables import CdsFeedback, CdsJti
from rughernia.web.app import create_app
from tests.dbsupport import Clock
from tests.interop.support import TODAY, by_triage
from tests.interop.test_cds import prefetch_of

ISS = "https://ehr.example.org"
BASE = "http://testserver"
SERVICE = "/cds-services/rughernia-patient-view"
KEY = ECKey.generate_key("P-384", parameters={"kid": "ehr-1"}, private=True)
OTHER = ECKey.generate_key("P-384", parameters={"kid": "ehr-1"}, private=True)
OTHER_ISS = "https://other-ehr.example.org"
OTHER_EHR = ECKey.generate_key("P-384", parameters={"kid": "ehr-1"}, private=True)
NOW = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)  # TODAY in Amsterdam


def _app(database_url: str, tmp_path: Path, *, demo: bool = False) -> Any:
    jwks = tmp_path / "jwks.json"
    by_issuer = {
        ISS: KeySet([KEY]).as_dict(private=False),
        OTHER_ISS: KeySet([OTHER_EHR]).as_dict(private=False),
    }
    jwks.write_text(json.dumps(by_issuer))
    settings = Settings(
        database_url=database_url,
        cds_jwks_file=str(jwks),
        cds_issuers=f"{ISS}, {OTHER_ISS}",
        public_url=BASE,
        demo_mode=demo,
    )
    clock = Clock()
    clock.now = NOW
    return create_app(settings, clock=clock)


@pytest.fixture
def cds(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(database_url, tmp_path), raise_server_exceptions=False) as c:
        yield c


def token(key: Any = KEY, path: str = SERVICE, **claims: Any) -> str:
    now = int(NOW.timestamp())
    body = {"iss": ISS, "aud": BASE + path, "exp": now + 300, "iat": now, **claims}
    body.setdefault("jti", uuid.uuid4().hex)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(
        {"alg": "ES384", "typ": "JWT", "kid": "ehr-1"}, body, key, algorithms=["ES384"]
    )


def signed(value: str | None = None, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value or token()}", **extra}


def hook(prefetch: Any, patient_id: str = "p-42") -> dict[str, Any]:
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": patient_id},
        "prefetch": prefetch,
    }


def _full(level: str, lang: str = "nl") -> dict[str, Any]:
    data = {**by_triage()[level], "language": lang}
    prefetch = prefetch_of(data)
    prefetch["patient"]["id"] = "p-42"
    return prefetch


def test_discovery_is_open_and_names_the_service(cds: TestClient) -> None:
    r = cds.get("/cds-services")
    assert r.status_code == 200
    (service,) = r.json()["services"]
    assert service["id"] == "rughernia-patient-view"
    assert service["hook"] == "patient-view"
    assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"


EXPECTED = {"emergency": "critical", "urgent": "critical", "contact_gp": "warning"}


@pytest.mark.parametrize("level", list(by_triage()))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_full_prefetch_gives_the_card_of_each_level(
    cds: TestClient, level: str, lang: str
) -> None:
    headers = signed(**{"Accept-Language": f"{lang};q=1, de;q=0.5"})
    r = cds.post(SERVICE, json=hook(_full(level, lang)), headers=headers)
    assert r.status_code == 200, r.text
    (card,) = r.json()["cards"]
    assert card["indicator"] == EXPECTED.get(level, "info")
    assert len(card["summary"]) < 140
    assert card["source"]["topic"]["code"] == level
    assert "L" in card["source"]["label"]
    uuid.UUID(card["uuid"])
    # The prefetched Patient carries no id of ours ("p-42" is no record here): no link.
    assert "links" not in card


def test_our_patient_gets_a_link_to_the_patient_page(cds: TestClient) -> None:
    prefetch = _full("emergency")
    prefetch["patient"]["identifier"] = [{"system": codes.PATIENT_ID_SYSTEM, "value": "7"}]
    r = cds.post(SERVICE, json=hook(prefetch), headers=signed())
    assert r.status_code == 200, r.text
    (link,) = r.json()["cards"][0]["links"]
    assert link["url"] == f"{BASE}/patients/7"
    assert link["type"] == "absolute"


@pytest.mark.parametrize("key", ["patient", "conditions", "painScores", "medications"])
def test_missing_required_prefetch_is_412(cds: TestClient, key: str) -> None:
    prefetch = _full("self_care")
    del prefetch[key]
    r = cds.post(SERVICE, json=hook(prefetch), headers=signed())
    assert r.status_code == 412, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/prefetch-missing")
    assert key in r.json()["detail"]


def test_no_prefetch_at_all_is_412_too(cds: TestClient) -> None:
    body = hook(None)
    del body["prefetch"]
    r = cds.post(SERVICE, json=body, headers=signed())
    assert r.status_code == 412, r.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.update(hook="order-select"), "hook must be 'patient-view'"),
        (lambda b: b.pop("hookInstance"), "hookInstance"),
        (lambda b: b["context"].pop("patientId"), "context.patientId"),
        (lambda b: b["prefetch"].update(conditions={"resourceType": "Patient"}), "searchset"),
        (lambda b: b["prefetch"].update(extra=None), "did not ask for: extra"),
        (lambda b: b["context"].update(patientId="someone-else"), "differs from context"),
        (lambda b: b.update(prefetch=[1]), "prefetch must be a JSON object"),
    ],
)
def test_malformed_input_is_400_with_a_clear_message(
    cds: TestClient, change: Any, message: str
) -> None:
    body = hook(_full("self_care"))
    change(body)
    r = cds.post(SERVICE, json=body, headers=signed())
    assert r.status_code == 400, r.text
    assert r.json()["type"].endswith("/cds-request-invalid")
    assert message in r.json()["detail"]


def test_bad_json_is_400_not_422(cds: TestClient) -> None:
    headers = {**signed(), "Content-Type": "application/json"}
    r = cds.post(SERVICE, content=b'{"hook": ', headers=headers)
    assert r.status_code == 400, r.text
    assert "not valid JSON" in r.json()["detail"]


def test_a_number_too_large_for_a_float_is_400_naming_the_field(cds: TestClient) -> None:
    body = hook(_full("self_care"))
    age = {
        "resourceType": "Observation",
        "status": "final",
        "code": codes.concept(codes.AGE),
        "valueQuantity": {"value": 12345, "unit": "a", "system": codes.UCUM, "code": "a"},
    }
    body["prefetch"]["answers"]["entry"].insert(0, {"resource": age})
    # 1e309 is valid JSON, read as inf: it was int(inf), a 500.
    raw = json.dumps(body).replace('"value": 12345', '"value": 1e309').encode()
    r = cds.post(SERVICE, content=raw, headers={**signed(), "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert "prefetch.answers: entry.0.resource.valueQuantity.value" in r.json()["detail"]


def _large(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` past the reader's 64 KB, so that it is read in a worker thread."""
    body["prefetch"]["patient"]["name"] = [{"text": "x" * 70_000}]
    return body


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_body_nested_too_deep_or_with_nul_or_a_lone_surrogate_is_400(
    cds: TestClient, size: str
) -> None:
    body = hook(_full("self_care"))
    if size == "large":
        body = _large(body)
    cases: list[tuple[Any, str]] = [
        (lambda b: b.update(deep=json.loads("[" * 65 + "]" * 65)), "nested more than 64 levels"),
        (lambda b: b["context"].update(userId="Practitioner/1\x00"), "context.userId: must not"),
        # A lone surrogate is no text (the database could not store it): refused as /assess does.
        (lambda b: b["context"].update(userId="\ud800"), "not valid JSON"),
    ]
    for change, message in cases:
        sent = json.loads(json.dumps(body))
        change(sent)
        raw = json.dumps(sent).encode()
        assert (len(raw) > 64 * 1024) == (size == "large")
        # A fresh token each: the token is checked (and its jti used) before the body.
        headers = {**signed(), "Content-Type": "application/json"}
        r = cds.post(SERVICE, content=raw, headers=headers)
        assert r.status_code == 400, r.text
        assert message in r.json()["detail"], r.text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (lambda: token(OTHER), "bad-signature"),
        (lambda: token(aud="https://elsewhere.example/cds-services/x"), "wrong-audience"),
        (lambda: token(path="/cds-services/other"), "wrong-audience"),
        (lambda: token(iss="https://evil.example"), "wrong-issuer"),
        (lambda: token(exp=int(NOW.timestamp()) - 120), "expired"),
        (lambda: token(exp=int(NOW.timestamp()) + 86400), "at most 3600"),
        (lambda: "not-a-jwt", "malformed"),
    ],
)
def test_a_refused_token_is_401_and_names_why(cds: TestClient, value: Any, reason: str) -> None:
    r = cds.post(SERVICE, json=hook(_full("self_care")), headers=signed(value()))
    assert r.status_code == 401, r.text
    assert r.json()["type"].endswith("/unauthenticated")
    assert reason in r.json()["detail"]


def test_a_token_is_accepted_once_and_its_jti_is_kept(cds: TestClient) -> None:
    value = token(jti="once-only")
    body = hook(_full("self_care"))
    assert cds.post(SERVICE, json=body, headers=signed(value)).status_code == 200
    again = cds.post(SERVICE, json=body, headers=signed(value))
    assert again.status_code == 401
    assert "replayed" in again.json()["detail"]
    with cds.app.state.rughernia.sessions() as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(CdsJti)).all()
    assert (row.issuer, row.jti) == (ISS, "once-only")
    # The same jti from another issuer is another token.
    other = token(OTHER_EHR, jti="once-only", iss=OTHER_ISS)
    assert cds.post(SERVICE, json=body, headers=signed(other)).status_code == 200


def test_a_key_verifies_only_for_its_own_issuer(cds: TestClient) -> None:
    body = hook(_full("self_care"))
    # The other EHR's key (the same kid) cannot sign as this EHR, nor this one's as it.
    for key, iss in ((OTHER_EHR, ISS), (KEY, OTHER_ISS)):
        r = cds.post(SERVICE, json=body, headers=signed(token(key, iss=iss)))
        assert r.status_code == 401, r.text
        assert "bad-signature" in r.json()["detail"]
    r = cds.post(SERVICE, json=body, headers=signed(token(iss="https://evil.example")))
    assert "wrong-issuer" in r.json()["detail"]
    r = cds.post(SERVICE, json=body, headers=signed(token(iss=None)))
    assert r.status_code == 401
    assert "iss" in r.json()["detail"]


def test_a_refused_token_does_not_burn_its_jti(cds: TestClient) -> None:
    body = hook(_full("self_care"))
    bad = token(OTHER, jti="shared")
    assert cds.post(SERVICE, json=body, headers=signed(bad)).status_code == 401
    assert cds.post(SERVICE, json=body, headers=signed(token(jti="shared"))).status_code == 200


def test_unsigned_calls_only_in_demo_mode(
    cds: TestClient, database_url: str, tmp_path: Path
) -> None:
    body = hook(_full("urgent"))
    r = cds.post(SERVICE, json=body)
    assert r.status_code == 401
    assert "Authorization: Bearer" in r.json()["detail"]
    with TestClient(_app(database_url, tmp_path, demo=True)) as demo:
        r = demo.post(SERVICE, json=body)
        assert r.status_code == 200, r.text
        assert r.json()["cards"][0]["indicator"] == "critical"
        # A token sent in demo mode is still checked.
        assert demo.post(SERVICE, json=body, headers=signed(token(OTHER))).status_code == 401


def test_fhir_json_is_accepted(cds: TestClient) -> None:
    headers = {**signed(), "Content-Type": "application/fhir+json"}
    r = cds.post(SERVICE, content=json.dumps(hook(_full("self_care"))), headers=headers)
    assert r.status_code == 200, r.text


def test_feedback_is_stored(cds: TestClient) -> None:
    r = cds.post(SERVICE, json=hook(_full("emergency")), headers=signed())
    card = r.json()["cards"][0]["uuid"]
    path = SERVICE + "/feedback"
    body = {
        "feedback": [
            {
                "card": card,
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {"system": "http://example.org/r", "code": "seen", "display": "Seen"},
                    "userComment": "Patient seen today",
                },
                "outcomeTimestamp": "2026-03-02T11:05:00Z",
            }
        ]
    }
    r = cds.post(path, json=body, headers=signed(token(path=path)))
    assert r.status_code == 200, r.text
    with cds.app.state.rughernia.sessions() as s:  # type: ignore[attr-defined]
        (row,) = s.scalars(select(CdsFeedback)).all()
    assert (row.card, row.outcome, row.issuer) == (card, "overridden", ISS)
    assert row.detail["overrideReason"]["userComment"] == "Patient seen today"
    assert row.outcome_at == dt.datetime(2026, 3, 2, 11, 5, tzinfo=dt.UTC)
    # Malformed feedback: 400 naming the field; a token for the service is not for feedback.
    bad = {"feedback": [{"card": card, "outcome": "ignored", "outcomeTimestamp": "x"}]}
    r = cds.post(path, json=bad, headers=signed(token(path=path)))
    assert r.status_code == 400
    assert "feedback[0].outcome" in r.json()["detail"]
    assert cds.post(path, json=body, headers=signed(token())).status_code == 401
    with cds.app.state.rughernia.sessions() as s:  # type: ignore[attr-defined]
        assert s.scalar(select(func.count()).select_from(CdsFeedback)) == 1


def test_today_is_the_app_clock_s() -> None:
    assert NOW.date() == TODAY


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("en;q=0.5, nl;q=0.9", "nl"),
        ("nl;q=0.4, en-GB;q=0.8", "en"),
        ("nl;q=0, en;q=0.1", "en"),  # q=0: "not Dutch"
        ("de, en-US, nl", "en"),  # equal weights: the first
        ("fr;q=1, de;q=0.5", "nl"),  # neither: Dutch
        ("en;q=zero", "nl"),  # a weight that is no number is no wish
    ],
)
def test_the_card_language_follows_the_weights_of_accept_language(
    cds: TestClient, header: str, lang: str
) -> None:
    r = cds.post(SERVICE, json=hook(_full("urgent")), headers=signed(**{"Accept-Language": header}))
    assert r.status_code == 200, r.text
    summary = r.json()["cards"][0]["summary"]
    assert summary.startswith(text("card", "summary_urgent", lang)), summary  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [SERVICE, SERVICE + "/feedback"])
def test_the_token_is_checked_before_the_body_is_read(cds: TestClient, path: str) -> None:
    headers = {"Content-Type": "application/json"}
    # Without a token, a malformed body is not even parsed: 401, not 400.
    r = cds.post(path, content=b'{"hook": ', headers=headers)
    assert r.status_code == 401, r.text
    r = cds.post(path, content=b'{"hook": ', headers={**headers, **signed(token(OTHER))})
    assert r.status_code == 401, r.text
    assert "bad-signature" in r.json()["detail"]


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-03-02T11:05:00"]
)
def test_a_feedback_time_out_of_range_or_without_zone_is_400(cds: TestClient, stamp: str) -> None:
    path = SERVICE + "/feedback"
    body = {
        "feedback": [{"card": str(uuid.uuid4()), "outcome": "accepted", "outcomeTimestamp": stamp}]
    }
    r = cds.post(path, json=body, headers=signed(token(path=path)))
    assert r.status_code == 400, r.text
    assert "feedback[0].outcomeTimestamp" in r.json()["detail"]
