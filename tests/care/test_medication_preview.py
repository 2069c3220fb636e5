"""The medication preview (``care.medication.preview``) on both databases: the safety findings
a proposed step would bring, from ``assess()`` itself, before anything is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from rughernia.care import medication
from rughernia.care.errors import Forbidden, IntakeRequired, Invalid, NotFound
from rughernia.store import record
from tests.care.support import AT, DAY_56, ONSET, audit, counts, scene
from tests.dbsupport import intake_for

TODAY = ONSET + dt.timedelta(days=20)  # week 3: the acute phase
NAPROXEN = {"step": 2, "nsaid": "naproxen", "nsaid_since": TODAY.isoformat()}


def _intake(age: int, *risks: str) -> dict[str, Any]:
    out = intake_for(ONSET, leg_pain_reaches="below_knee")
    out["patient"] = {**out["patient"], "age": age, "risk_factors": list(risks)}
    return out


def _codes(items: list[dict[str, Any]]) -> list[str]:
    return [item["code"] for item in items]


def _preview(session: Session, s: Any, pid: int, body: dict[str, Any], **kw: Any) -> Any:
    actor = s[kw.pop("actor", "doc_a")]
    today = kw.pop("today", TODAY)
    return medication.preview(session, actor, pid, body, today=today, at=AT, **kw)


def _on_step_1(s: Any, intake: dict[str, Any]) -> int:
    pid = int(s.patient(intake=intake, flat_until=TODAY))
    record.set_medication(
        s.session, pid, {"step": 1}, by=s["doc_a"].user_id, by_name="doc_a", reason="start"
    )
    s.session.commit()
    return pid


def test_an_nsaid_for_an_older_patient_with_risk_shows_the_cautions_and_stores_nothing(
    session: Session,
) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(75, "stomach_ulcer_history"))
    before = counts(session)

    found = _preview(session, s, pid, NAPROXEN)

    assert counts(session) == before  # no medication, change or assessment stored
    new = _codes(found.new_findings)
    assert "NSAID_CAUTION" in new
    assert "NSAID_STOMACH_PROTECTION" in new
    assert "NSAID_CAUTION" not in _codes(found.current["findings"])
    assert found.proposed["medication"]["step"] == 2
    assert found.current["medication"]["step"] == 1
    assert found.medication == NAPROXEN
    texts = {f["code"]: f["text"] for f in found.new_findings}
    assert "maagbeschermer" in texts["NSAID_STOMACH_PROTECTION"]  # the patient's language
    assert audit(session, "medication.preview") == [("doc_a", pid, "success")]
    assert record.medication_dict(record.medication(session, pid)) == {"step": 1}


def test_age_alone_brings_stomach_protection_not_the_caution(session: Session) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(75))
    new = _codes(_preview(session, s, pid, NAPROXEN).new_findings)
    assert "NSAID_STOMACH_PROTECTION" in new
    assert "NSAID_CAUTION" not in new


def test_a_younger_patient_without_risk_gets_no_nsaid_finding(session: Session) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(42))
    found = _preview(session, s, pid, NAPROXEN)
    assert not {"NSAID_CAUTION", "NSAID_STOMACH_PROTECTION"} & set(_codes(found.new_findings))
    assert "NSAID_USE" in _codes(found.new_advice)


def test_an_opioid_for_more_than_two_weeks_shows_its_duration_and_the_laxative(
    session: Session,
) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(42))
    since = (TODAY - dt.timedelta(days=15)).isoformat()
    found = _preview(session, s, pid, {"step": 3, "opioid_since": since}, language="en")
    assert "OPIOID_LONG_USE" in _codes(found.new_findings)
    assert "OPIOID_LAXATIVE" in _codes(found.new_advice)
    assert found.proposed["language"] == "en"


def test_the_body_is_validated_as_for_saving_it(session: Session) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(42))
    for body in ({"step": 5}, {"step": 2, "nsaid": "aspirin"}, {"step": 1, "dose": 3}):
        with pytest.raises(Invalid) as preview_error:
            _preview(session, s, pid, body)
        with pytest.raises(Invalid) as write_error:
            medication.write(session, s["doc_a"], pid, {**body, "reason": "r"}, today=TODAY, at=AT)
        assert preview_error.value.problems == write_error.value.problems, body
        assert preview_error.value.problems[0].path in ("step", "nsaid", "dose")


def test_a_reason_may_come_along_and_changes_nothing(session: Session) -> None:
    s = scene(session)
    pid = _on_step_1(s, _intake(42))
    with_reason = _preview(session, s, pid, {**NAPROXEN, "reason": "pain not tolerated"})
    assert with_reason == _preview(session, s, pid, NAPROXEN)


def test_no_intake_is_the_same_refusal_as_elsewhere(session: Session) -> None:
    s = scene(session)
    pid = s.patient()
    with pytest.raises(IntakeRequired):
        _preview(session, s, pid, NAPROXEN)
    assert audit(session, "medication.preview") == [("doc_a", pid, "success")]


def test_only_a_clinician_of_the_patients_team_previews(session: Session) -> None:
    s = scene(session)
    pid = s.patient(intake=_intake(42), flat_until=DAY_56, account="pat_a")
    for actor, error in (("doc_b", NotFound), ("pat_a", Forbidden), ("admin", Forbidden)):
        with pytest.raises(error):
            _preview(session, s, pid, NAPROXEN, actor=actor)
    assert [o for _u, _p, o in audit(session, "medication.preview")] == ["denied"] * 3
