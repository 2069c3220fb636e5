"""The clinician's pages through the app, on SQLite and PostgreSQL: the worklist and a
patient's page with its actions, each the same use case as its JSON route."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from rughernia.store.tables import AlarmAck, AuditRow, ClinicalNote, FindingAck, MedicationChange
from tests.dbsupport import Clock, World, intake_for
from tests.web.test_pages_diary import signed_in as diary_signed_in


def signed_in(world: World, name: str) -> str:
    """A clinician's cookie session: the sign-in page leads to the worklist (and ``/`` too)."""
    csrf = diary_signed_in(world, name, landing="/worklist")
    assert world.client.get("/", follow_redirects=True).url.path == "/worklist"
    return csrf


def _count(app: Any, table: Any) -> int:
    with app.state.rughernia.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def _alarm(world: World, clock: Clock, who: str = "pat_a") -> None:
    """Saddle numbness in the intake (an emergency), written by the patient's clinician."""
    pid = world.patient_ids[who]
    intake = intake_for(clock.today - dt.timedelta(days=21), saddle_numbness=True)
    r = world.client.put(
        f"/api/v1/patients/{pid}/intake", json=intake, headers=world.h(f"doc_{who[-1]}")
    )
    assert r.status_code == 200, r.text


def test_the_worklist_shows_own_teams_patients_only(world: World, clock: Clock) -> None:
    _alarm(world, clock, "pat_b")
    signed_in(world, "doc_a")
    page = world.client.get("/worklist")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Patient A" in page.text
    assert "Patient B" not in page.text
    assert 'aria-live="polite"' in page.text
    rows = world.client.get("/worklist?part=rows")
    assert "<h1" not in rows.text
    assert 'hx-swap-oob="innerHTML"' in rows.text


def test_an_alarm_is_on_top_and_acknowledging_it_moves_it_down(
    world: World, app: Any, clock: Clock
) -> None:
    _alarm(world, clock)
    csrf = signed_in(world, "doc_a")
    c = world.client
    top = c.get("/worklist?reason=emergency").text
    assert "Patient A" in top
    pid = world.patient_ids["pat_a"]
    page = c.get(f"/patients/{pid}").text
    assessment_id = re.search(r'name="assessment_id" value="(\d+)"', page)
    assert assessment_id is not None
    # No note: refused beside the field, nothing stored.
    r = c.post(
        f"/patients/{pid}/alarm",
        data={"csrf": csrf, "assessment_id": assessment_id.group(1), "note": ""},
    )
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text
    assert _count(app, AlarmAck) == 0
    r = c.post(
        f"/patients/{pid}/alarm",
        data={"csrf": csrf, "assessment_id": assessment_id.group(1), "note": "sent to A&E"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _count(app, AlarmAck) == 1
    assert "Patient A" not in c.get("/worklist?reason=emergency").text
    assert "sent to A&amp;E" in c.get("/worklist").text


def test_a_medication_change_is_previewed_then_saved(world: World, app: Any, clock: Clock) -> None:
    csrf = signed_in(world, "doc_a")
    c = world.client
    pid = world.patient_ids["pat_a"]
    form = {"csrf": csrf, "step": "2", "nsaid": "naproxen", "nsaid_since": str(clock.today)}
    preview = c.post(f"/patients/{pid}/medication", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert 'id="preview"' in preview.text
    assert "<code>NSAID_USE</code>" in preview.text  # the NSAID's advice, new at step 2
    assert _count(app, MedicationChange) == 0
    # Saving needs a reason.
    r = c.post(f"/patients/{pid}/medication", data={**form, "action": "save", "reason": ""})
    assert r.status_code == 422
    assert _count(app, MedicationChange) == 0
    r = c.post(
        f"/patients/{pid}/medication",
        data={**form, "action": "save", "reason": "pain not bearable on step 1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _count(app, MedicationChange) == 1
    current = c.get(f"/api/v1/patients/{pid}/medication", headers=world.h("doc_a")).json()
    assert current["medication"]["step"] == 2
    assert current["medication"]["nsaid"] == "naproxen"


def test_notes_and_finding_acknowledgements(world: World, app: Any, clock: Clock) -> None:
    csrf = signed_in(world, "doc_a")
    c = world.client
    pid = world.patient_ids["pat_a"]
    r = c.post(
        f"/patients/{pid}/notes",
        data={"csrf": csrf, "kind": "mri", "text": "MRI booked for Friday"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "MRI booked for Friday" in c.get(f"/patients/{pid}").text
    assert _count(app, ClinicalNote) == 1
    # An alarm finding cannot be acknowledged until a date: refused, nothing stored.
    r = c.post(
        f"/patients/{pid}/findings",
        data={
            "csrf": csrf,
            "code": "ALARM_SADDLE_NUMBNESS",
            "until": str(clock.today.replace(year=clock.today.year + 1)),
            "ack_note": "x",
        },
    )
    assert r.status_code == 422
    assert _count(app, FindingAck) == 0


def test_another_team_and_patients_cannot_reach_the_pages(world: World, clock: Clock) -> None:
    pid = world.patient_ids["pat_a"]
    csrf = signed_in(world, "doc_b")
    c = world.client
    assert c.get(f"/patients/{pid}").status_code == 404
    r = c.post(f"/patients/{pid}/notes", data={"csrf": csrf, "kind": "note", "text": "x"})
    assert r.status_code == 404
    for who in ("pat_a", "admin"):
        r = c.get(f"/patients/{pid}", headers=world.h(who))
        assert r.status_code == 403, who
        assert c.get("/worklist", headers=world.h(who)).status_code == 403


def test_an_acknowledged_alarm_stays_acknowledged_the_next_day_if_nothing_changed(
    world: World, clock: Clock
) -> None:
    """The patient's page and the worklist agree: the next day's assessment (by the
    calendar) does not reopen an alarm acknowledged on an unchanged record."""
    _alarm(world, clock)
    csrf = signed_in(world, "doc_a")
    c = world.client
    pid = world.patient_ids["pat_a"]
    found = re.search(r'name="assessment_id" value="(\d+)"', c.get(f"/patients/{pid}").text)
    assert found is not None
    data = {"csrf": csrf, "assessment_id": found.group(1), "note": "seen by neurologist"}
    assert c.post(f"/patients/{pid}/alarm", data=data, follow_redirects=False).status_code == 303
    clock.advance(days=1)
    signed_in(world, "doc_a")  # the session of yesterday has ended
    page = c.get(f"/patients/{pid}").text
    assert 'name="assessment_id"' not in page
    assert "seen by neurologist" in page
    assert "Patient A" not in c.get("/worklist?reason=emergency").text


def test_a_page_left_open_cannot_acknowledge_a_newer_alarm(
    world: World, app: Any, clock: Clock
) -> None:
    """The clinician opened the page on one alarm; the record then changed (another alarm).
    Acknowledging what the page showed would cover the new one: refused, nothing stored,
    the page says to look again and offers today's assessment."""
    _alarm(world, clock)
    csrf = signed_in(world, "doc_a")
    c = world.client
    pid = world.patient_ids["pat_a"]
    shown = re.search(r'name="assessment_id" value="(\d+)"', c.get(f"/patients/{pid}").text)
    assert shown is not None
    intake = intake_for(
        clock.today - dt.timedelta(days=21), saddle_numbness=True, incontinence=True
    )
    r = c.put(f"/api/v1/patients/{pid}/intake", json=intake, headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    data = {"csrf": csrf, "assessment_id": shown.group(1), "note": "sent to A&E"}
    r = c.post(f"/patients/{pid}/alarm", data=data)
    assert r.status_code == 422
    assert "Het dossier is veranderd sinds u deze pagina opende" in r.text
    assert _count(app, AlarmAck) == 0
    assert "Patient A" in c.get("/worklist?reason=emergency").text
    now = re.search(r'name="assessment_id" value="(\d+)"', r.text)
    assert now is not None
    assert now.group(1) != shown.group(1)
    data["assessment_id"] = now.group(1)
    assert c.post(f"/patients/{pid}/alarm", data=data, follow_redirects=False).status_code == 303
    # The JSON route refuses the old one the same way.
    path = f"/api/v1/patients/{pid}/alarms/{shown.group(1)}/acknowledge"
    r = c.post(path, json={"note": "x"}, headers=world.h("doc_a"))
    assert r.status_code == 409
    assert r.json()["type"].endswith("/superseded")


def test_odd_numbers_in_forms_and_paths_are_refused_not_a_crash(world: World, clock: Clock) -> None:
    _alarm(world, clock)
    csrf = signed_in(world, "doc_a")
    c = world.client
    pid = world.patient_ids["pat_a"]
    for odd in ("²", "9" * 30, "9" * 5000, "-1", "01"):
        data = {"csrf": csrf, "assessment_id": odd, "note": "x"}
        assert c.post(f"/patients/{pid}/alarm", data=data).status_code == 404, odd
        if odd != "01":  # step 1, written with a zero: a preview
            data = {"csrf": csrf, "step": odd}
            assert c.post(f"/patients/{pid}/medication", data=data).status_code == 422, odd
        data = {"csrf": csrf, "display_name": "New", "language": "nl", "team_id": odd}
        assert c.post("/invite", data=data).status_code == 422, odd
        assert c.get(f"/patients/{odd}").status_code == 404, odd
        data = {"csrf": csrf, "kind": "note", "text": "x"}
        assert c.post(f"/patients/{odd}/notes", data=data).status_code == 404, odd
    # The alarm's note as the API's: at most 2000 characters, no NUL; nothing stored.
    found = re.search(r'name="assessment_id" value="(\d+)"', c.get(f"/patients/{pid}").text)
    assert found is not None
    for note in ("x" * 2001, "called\x00"):
        data = {"csrf": csrf, "assessment_id": found.group(1), "note": note}
        r = c.post(f"/patients/{pid}/alarm", data=data)
        assert r.status_code == 422, r.text
        assert 'aria-invalid="true"' in r.text


def test_another_teams_patient_is_a_404_whatever_the_form_holds(
    world: World, app: Any, clock: Clock
) -> None:
    """The access check comes before the form's: a bad form for another team's patient is
    the same audited 404 as a good one, so it tells nothing and leaves a trace."""
    pid = world.patient_ids["pat_a"]
    c = world.client
    before = _count(app, AuditRow)
    forbidden = {"code": "ALARM_SADDLE_NUMBNESS", "until": "2000-01-01", "note": "x"}
    r = c.post(
        f"/api/v1/patients/{pid}/finding-acknowledgements",
        json=forbidden,
        headers=world.h("doc_b"),
    )
    assert r.status_code == 404, r.text
    assert _count(app, AuditRow) == before + 1
    csrf = signed_in(world, "doc_b")
    forms = {
        "notes": {"kind": "bogus", "text": "x"},
        "findings": {"code": "ALARM_SADDLE_NUMBNESS", "until": "2000-01-01", "ack_note": "x"},
        "alarm": {"assessment_id": "1", "note": ""},
        "medication": {"step": "9", "action": "save", "reason": ""},
    }
    for route, form in forms.items():
        r = c.post(f"/patients/{pid}/{route}", data={"csrf": csrf, **form})
        assert r.status_code == 404, (route, r.status_code)


def test_odd_worklist_query_values_show_the_first_page_not_a_500(world: World) -> None:
    signed_in(world, "doc_a")
    for odd in ("99999999999999999999", "9" * 5000, "²", "-3", "0", "1.5"):
        for part in ("", "&part=rows"):
            r = world.client.get(f"/worklist?page={odd}{part}")
            assert r.status_code == 200, (odd, r.text[:300])
            assert "Patient A" in r.text  # the first page
            r = world.client.get(f"/worklist?team={odd}{part}")
            assert r.status_code in (200, 404), (odd, r.text[:300])  # all teams, or none of yours


def test_a_polled_part_of_a_page_after_its_session_ended_reloads_the_whole_page(
    world: World,
) -> None:
    # Not the sign-in page swapped into the worklist, nor the old rows kept as if current.
    world.client.cookies.clear()
    fragment = {"HX-Request": "true"}
    r = world.client.get("/worklist?part=rows", headers=fragment, follow_redirects=False)
    assert r.status_code == 401
    assert r.headers["HX-Refresh"] == "true"
    assert r.text == ""
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}  # a whole page: to sign in
    r = world.client.get("/worklist", headers=boosted, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/signin?next=/worklist")


def test_a_refused_medication_save_shows_the_preview_with_the_reason_and_its_error(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "doc_a")
    pid = world.patient_ids["pat_a"]
    form = {"csrf": csrf, "step": "1", "paracetamol_since": str(clock.today), "action": "save"}
    r = world.client.post(f"/patients/{pid}/medication", data={**form, "reason": ""})
    assert r.status_code == 422
    assert 'id="reason-error"' in r.text  # the field that is wrong is there, and marked
    assert 'id="preview"' in r.text
    later = str(clock.today + dt.timedelta(days=7))  # after today: refused by the care layer
    data = {**form, "paracetamol_since": later, "reason": "keep-this-reason"}
    r = world.client.post(f"/patients/{pid}/medication", data=data)
    assert r.status_code == 422
    assert "keep-this-reason</textarea>" in r.text  # what the clinician typed is kept
    assert 'value="save"' not in r.text  # no preview could be made: none to save after
    assert "Kies een startdatum die niet na vandaag ligt." in r.text  # in Dutch, not the API's
    assert "after today" not in r.text
    assert re.search(r'name="paracetamol_since" value="[^"]*" aria-invalid="true"', r.text)
    assert _count(app, MedicationChange) == 0


def test_a_line_break_counts_as_one_character_as_in_the_browser(
    world: World, app: Any, clock: Clock
) -> None:
    # 2,000 characters (the note's limit) as the textarea's maxlength counts them; 2,019
    # as sent, with CRLF.
    text = ("x" * 99 + "\r\n") * 19 + "x" * 100
    csrf = signed_in(world, "doc_a")
    pid = world.patient_ids["pat_a"]
    r = world.client.post(
        f"/patients/{pid}/notes",
        data={"csrf": csrf, "kind": "note", "text": text},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    with app.state.rughernia.sessions() as s:
        stored = s.scalars(select(ClinicalNote.text)).one()
    assert stored == text.replace("\r\n", "\n")


def test_the_language_switch_after_a_form_leads_to_a_page_not_a_405(world: World) -> None:
    csrf = signed_in(world, "doc_a")
    pid = world.patient_ids["pat_a"]
    preview = world.client.post(f"/patients/{pid}/medication", data={"csrf": csrf, "step": "1"})
    sent = re.search(r'name="next" value="([^"]+)"', preview.text)
    assert sent is not None
    assert sent.group(1) == f"/patients/{pid}/medication"  # the form's address: POST only
    r = world.client.post(
        "/language",
        data={"csrf": csrf, "lang": "en", "next": sent.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/patients/{pid}"
    assert world.client.get(r.headers["location"]).status_code == 200
    for kept in ("/worklist?team=1&page=2", "/no-such-page"):  # a page, or its 404
        r = world.client.post(
            "/language", data={"csrf": csrf, "lang": "nl", "next": kept}, follow_redirects=False
        )
        assert r.headers["location"] == kept


def test_a_finding_note_too_long_is_marked_at_the_findings_own_field(
    world: World, app: Any, clock: Clock
) -> None:
    pid = world.patient_ids["pat_a"]
    intake = intake_for(clock.today - dt.timedelta(days=21), red_flags={"cancer_history": True})
    r = world.client.put(f"/api/v1/patients/{pid}/intake", json=intake, headers=world.h("doc_a"))
    assert r.status_code == 200, r.text
    csrf = signed_in(world, "doc_a")
    until = str(clock.today + dt.timedelta(days=7))
    data = {"csrf": csrf, "code": "REDFLAG_CANCER_HISTORY", "until": until, "ack_note": "n" * 1500}
    r = world.client.post(f"/patients/{pid}/findings", data=data)
    assert r.status_code == 422
    field = re.search(r'<textarea id="why-REDFLAG_CANCER_HISTORY"[^>]*>', r.text)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    assert _count(app, FindingAck) == 0


def test_the_language_switch_is_on_pages_but_not_on_an_error_page(world: World) -> None:
    world.client.cookies.clear()
    for path in ("/", "/info", "/signin"):
        assert 'action="/language"' in world.client.get(path).text, path
    missing = world.client.get("/no-such-page")
    assert missing.status_code == 404
    assert 'action="/language"' not in missing.text  # it has no token: the switch was a 403
