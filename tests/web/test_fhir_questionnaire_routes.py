"""The Questionnaires and a diary day as a QuestionnaireResponse, through the real app."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.dbsupport import Clock, World

P = "/api/v1/patients/{pid}"
FHIR = {"Content-Type": "application/fhir+json"}


@pytest.mark.parametrize(
    "qid",
    ["rughernia-intake-nl", "rughernia-intake-en", "rughernia-diary-nl", "rughernia-diary-en"],
)
def test_every_questionnaire_is_served_to_anyone(world: World, qid: str) -> None:
    r = world.client.get(f"/api/v1/fhir/Questionnaire/{qid}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    Questionnaire.model_validate(r.json())
    assert r.json()["id"] == qid
    assert r.json()["url"].endswith(f"/Questionnaire/{qid}")


def test_an_unknown_questionnaire_is_404(world: World) -> None:
    r = world.client.get("/api/v1/fhir/Questionnaire/rughernia-diary-de")
    assert r.status_code == 404
    assert "rughernia-diary-nl" in r.json()["detail"]


def _put(world: World, pid: int, day: str, **entry: Any) -> None:
    r = world.client.put(f"{P}/diary/{day}".format(pid=pid), json=entry, headers=world.h("pat_a"))
    assert r.status_code in (200, 201), r.text


def test_import_then_export_changes_nothing(world: World, clock: Clock) -> None:
    c, pid, day = world.client, world.patient_ids["pat_a"], clock.today.isoformat()
    _put(world, pid, day, leg_pain=6, back_pain=3, paracetamol_mg=2000, note="stairs hurt")
    url = f"{P}/fhir/QuestionnaireResponse/{day}".format(pid=pid)
    first = c.get(url, headers=world.h("doc_a"))
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/fhir+json")
    QuestionnaireResponse.model_validate(first.json())
    assert first.json()["subject"] == {"reference": f"Patient/{pid}"}
    before = c.get(f"{P}/assessment".format(pid=pid), headers=world.h("pat_a")).json()
    diary_before = c.get(f"{P}/diary".format(pid=pid), headers=world.h("pat_a")).json()
    # Sent back as it came: the same day again (200, not created), nothing changes.
    post = c.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid),
        content=json.dumps(first.json()),
        headers={**world.h("pat_a"), **FHIR},
    )
    assert post.status_code == 200, post.text
    assert post.json() == first.json()
    assert post.headers["location"] == url.replace("{pid}", str(pid))
    assert c.get(url, headers=world.h("doc_a")).json() == first.json()
    assert c.get(f"{P}/diary".format(pid=pid), headers=world.h("pat_a")).json() == diary_before
    after = c.get(f"{P}/assessment".format(pid=pid), headers=world.h("pat_a")).json()
    assert after["id"] == before["id"]  # the same stored assessment: nothing new to store


def test_a_new_day_is_stored_like_the_diary_put(world: World, clock: Clock) -> None:
    c, pid, day = world.client, world.patient_ids["pat_a"], clock.today.isoformat()
    qr = c.get("/api/v1/fhir/Questionnaire/rughernia-diary-en").json()
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": qr["url"],
        "status": "completed",
        "language": "en",
        "item": [
            {"linkId": "date", "answer": [{"valueDate": day}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 4}]},
        ],
    }
    r = c.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid), json=body, headers=world.h("pat_a")
    )
    assert r.status_code == 201, r.text
    assert r.json()["language"] == "en"
    got = c.get(f"{P}/diary/{day}".format(pid=pid), headers=world.h("pat_a")).json()
    assert got["leg_pain"] == 4
    # Idempotent by date: the same day again is one entry, answered 200.
    again = c.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid), json=body, headers=world.h("pat_a")
    )
    assert again.status_code == 200
    diary = c.get(f"{P}/diary".format(pid=pid), headers=world.h("pat_a")).json()["entries"]
    assert [e["date"] for e in diary].count(day) == 1
    # Without a language of its own, the answer is in the questionnaire's language.
    del body["language"]
    r = c.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid), json=body, headers=world.h("pat_a")
    )
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "en"
    assert r.json()["questionnaire"].split("|")[0] == qr["url"]


def test_a_note_is_stored_as_it_is_sent_back(world: World, clock: Clock) -> None:
    c, pid, day = world.client, world.patient_ids["pat_a"], clock.today.isoformat()
    note = "stairs\u00a0hurt\u2028a lot\tstill"  # whitespace FHIR's string has not
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "item": [
            {"linkId": "date", "answer": [{"valueDate": day}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 5}]},
            {"linkId": "note", "answer": [{"valueString": note}]},
        ],
    }
    url = f"{P}/fhir/QuestionnaireResponse".format(pid=pid)
    r = c.post(url, json=body, headers=world.h("pat_a"))
    assert r.status_code == 201, r.text
    stored = c.get(f"{P}/diary/{day}".format(pid=pid), headers=world.h("pat_a")).json()
    assert stored["note"] == "stairs hurt a lot\tstill"
    # Export, then import: the day is the same, not changed by the way back.
    sent = c.get(f"{url}/{day}", headers=world.h("doc_a")).json()
    assert c.post(url, json=sent, headers=world.h("pat_a")).status_code == 200
    again = c.get(f"{P}/diary/{day}".format(pid=pid), headers=world.h("pat_a")).json()
    assert again == stored


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda items: items[1].update(answer=[{"valueInteger": 11}]),
            "leg_pain",
            "above the maximum 10",
        ),
        (
            lambda items: items.append({"linkId": "mood", "answer": [{"valueInteger": 1}]}),
            "mood",
            "not an item",
        ),
        (lambda items: items[1].update(answer=[{"valueString": "6"}]), "leg_pain", "valueInteger"),
        (lambda items: items.pop(0), "date", "is required"),
        # Two values in one answer: one was taken and the other dropped silently.
        (
            lambda items: items.append(
                {
                    "linkId": "hours_lying_daytime",
                    "answer": [{"valueDecimal": 2.5, "valueInteger": 7}],
                }
            ),
            "hours_lying_daytime",
            "one value[x]",
        ),
        (
            lambda items: items[1].update(answer=[{"valueInteger": 5, "valueString": "9"}]),
            "leg_pain",
            "one value[x]",
        ),
    ],
)
def test_bad_items_are_named_by_link_id(
    world: World, clock: Clock, change: Any, path: str, message: str
) -> None:
    pid = world.patient_ids["pat_a"]
    items = [
        {"linkId": "date", "answer": [{"valueDate": clock.today.isoformat()}]},
        {"linkId": "leg_pain", "answer": [{"valueInteger": 5}]},
    ]
    change(items)
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "item": items,
    }
    r = world.client.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid), json=body, headers=world.h("pat_a")
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    (error,) = r.json()["errors"]
    assert error["path"] == path
    assert message in error["message"]


def test_a_response_about_another_patient_is_refused(world: World, clock: Clock) -> None:
    pid = world.patient_ids["pat_a"]
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "subject": {"reference": f"Patient/{pid + 1}"},
        "item": [
            {"linkId": "date", "answer": [{"valueDate": clock.today.isoformat()}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 5}]},
        ],
    }
    r = world.client.post(
        f"{P}/fhir/QuestionnaireResponse".format(pid=pid), json=body, headers=world.h("pat_a")
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["path"] == "subject"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "in-progress", "only a completed diary day"),
        ("questionnaire", "https://ehr.example/Questionnaire/phq-9", "not the Rughernia diary"),
    ],
)
def test_a_wrong_status_or_questionnaire_is_named(
    world: World, clock: Clock, field: str, value: str, message: str
) -> None:
    pid = world.patient_ids["pat_a"]
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "item": [
            {"linkId": "date", "answer": [{"valueDate": clock.today.isoformat()}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 5}]},
        ],
    }
    body[field] = value
    url = f"{P}/fhir/QuestionnaireResponse".format(pid=pid)
    r = world.client.post(url, json=body, headers=world.h("pat_a"))
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["path"] == field
    assert message in error["message"]


OURS = "https://rughernia.example/fhir/NamingSystem/patient-id"


def _post_with_subject(world: World, clock: Clock, subject: dict[str, Any]) -> Any:
    """Today's leg pain as pat_a's QuestionnaireResponse with ``subject``."""
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://rughernia.example/fhir/Questionnaire/rughernia-diary-nl",
        "status": "completed",
        "subject": subject,
        "item": [
            {"linkId": "date", "answer": [{"valueDate": clock.today.isoformat()}]},
            {"linkId": "leg_pain", "answer": [{"valueInteger": 5}]},
        ],
    }
    url = f"{P}/fhir/QuestionnaireResponse".format(pid=world.patient_ids["pat_a"])
    return world.client.post(url, json=body, headers=world.h("pat_a"))


@pytest.mark.parametrize(
    "subject",
    [
        lambda pid: {"reference": f"Patient/{pid + 1}/_history/1"},
        lambda pid: {"reference": f"https://ehr.example/fhir/Patient/{pid + 1}/_history/3"},
        lambda pid: {"reference": "Group/1"},
        lambda pid: {"reference": "urn:uuid:0b3c5a4e-2f7e-4c1e-9a51-6f3f2f0f8a11"},
        lambda pid: {
            "identifier": {"system": "urn:oid:2.16.840.1.113883.2.4.6.3", "value": str(pid)}
        },
        lambda pid: {"identifier": {"system": OURS, "value": str(pid + 1)}},
        lambda pid: {
            "reference": f"Patient/{pid}",
            "identifier": {"system": OURS, "value": str(pid + 1)},
        },
        lambda pid: {"reference": f"Patient/{pid}", "type": "Group"},
        lambda pid: {"display": "J. Jansen"},
    ],
)
def test_a_subject_we_cannot_match_to_this_patient_is_refused(
    world: World, clock: Clock, subject: Any
) -> None:
    pid = world.patient_ids["pat_a"]
    r = _post_with_subject(world, clock, subject(pid))
    assert r.status_code == 422, r.text
    assert [e["path"] for e in r.json()["errors"]] == ["subject"]
    diary = world.client.get(f"{P}/diary".format(pid=pid), headers=world.h("pat_a")).json()
    assert diary["entries"] == []


@pytest.mark.parametrize(
    "subject",
    [
        lambda pid: {"reference": f"Patient/{pid}/_history/1"},
        lambda pid: {"reference": f"https://ehr.example/fhir/Patient/{pid}"},
        lambda pid: {"identifier": {"system": OURS, "value": str(pid)}},
        lambda pid: {
            "reference": f"Patient/{pid}",
            "identifier": {"system": OURS, "value": str(pid)},
        },
    ],
)
def test_a_subject_naming_this_patient_is_accepted(
    world: World, clock: Clock, subject: Any
) -> None:
    pid = world.patient_ids["pat_a"]
    r = _post_with_subject(world, clock, subject(pid))
    assert r.status_code == 201, r.text


def test_no_entry_that_day_is_404_and_outsiders_get_404(world: World, clock: Clock) -> None:
    pid, other = world.patient_ids["pat_a"], world.patient_ids["pat_b"]
    url = f"{P}/fhir/QuestionnaireResponse/{clock.today}"
    assert world.client.get(url.format(pid=pid), headers=world.h("pat_a")).status_code == 404
    assert world.client.get(url.format(pid=other), headers=world.h("doc_a")).status_code == 404
