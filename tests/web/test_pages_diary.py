"""The diary page's writes, through the app on SQLite and PostgreSQL: the same use case as
the API's diary PUT, with the day's alarm answers (which never clear an alarm)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from rughernia.care.selfcheck import DIARY_QUESTIONS, INTAKE_QUESTIONS
from rughernia.content.questionnaire import load
from rughernia.store.tables import DiaryRow, Intake
from tests.dbsupport import PASSWORD, Clock, World

NL = load("nl")


def signed_in(world: World, name: str, landing: str = "/today") -> str:
    """A cookie session made by the sign-in page, which leads to ``landing`` (a patient's
    Today, a clinician's worklist); the token that page's forms carry."""
    c = world.client
    c.cookies.clear()
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text)
    assert token is not None
    r = c.post(
        "/signin",
        data={"csrf": token.group(1), "username": name, "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == landing
    form = re.search(r'name="csrf" value="([^"]+)"', c.get(landing).text)
    assert form is not None
    return form.group(1)


def answer(qid: str, value: object) -> str:
    """The form value of a choice: its option's position."""
    values = [o.value for o in NL.questions[qid].options]
    return str(values.index(value))


def diary_form(csrf: str, **alarms: object) -> dict[str, str]:
    data = {"csrf": csrf, "leg_pain": "6", "back_pain": "3", "note": "page-note"}
    for qid in DIARY_QUESTIONS:
        if NL.questions[qid].kind == "choice":
            default: object = "none" if qid == "weakness" else False
            data[qid] = answer(qid, alarms.get(qid, default))
    return data


def test_a_diary_alarm_shows_the_emergency_and_a_later_no_keeps_it(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "pat_a")
    c = world.client
    r = c.post(f"/diary/{clock.today}", data=diary_form(csrf), follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/today?saved=1"
    assert "Bel nu uw huisarts" not in c.get("/today").text
    r = c.post(f"/diary/{clock.today}", data=diary_form(csrf, saddle_numbness=True))
    assert r.status_code == 200
    assert 'role="alert"' in r.text
    assert "Bel nu uw huisarts" in r.text
    clock.advance(days=1)
    csrf = signed_in(world, "pat_a")  # the session of yesterday has expired
    r = c.post(f"/diary/{clock.today}", data=diary_form(csrf))  # "nee" the next day
    assert "Bel nu uw huisarts" in r.text
    with app.state.rughernia.sessions() as s:
        intake = s.get(Intake, world.patient_ids["pat_a"])
        assert intake is not None
        assert intake.data["symptoms"]["saddle_numbness"] is True


def test_the_intake_is_written_again_only_when_a_diary_answer_raises_one(
    world: World, app: Any, clock: Clock
) -> None:
    pid = world.patient_ids["pat_a"]

    def stored() -> tuple[Any, dict[str, Any]]:
        with app.state.rughernia.sessions() as s:
            row = s.get(Intake, pid)
            assert row is not None
            return row.updated_at, dict(row.data["symptoms"])

    before = stored()
    csrf = signed_in(world, "pat_a")
    clock.advance(minutes=5)
    r = world.client.post(f"/diary/{clock.today}", data=diary_form(csrf))  # "nee", as before
    assert r.status_code == 200
    assert stored() == before
    clock.advance(minutes=5)
    r = world.client.post(f"/diary/{clock.today}", data=diary_form(csrf, both_legs=None))
    assert r.status_code == 200
    updated_at, symptoms = stored()
    assert updated_at != before[0]  # "weet ik niet" after "nee": written, and it stands
    assert symptoms == {**before[1], "both_legs": None}


def test_a_save_sent_twice_leaves_one_entry(world: World, app: Any, clock: Clock) -> None:
    csrf = signed_in(world, "pat_a")
    for _ in range(2):
        r = world.client.post(f"/diary/{clock.today}", data=diary_form(csrf))
        assert r.status_code == 200
    with app.state.rughernia.sessions() as s:
        count = s.scalar(
            select(func.count())
            .select_from(DiaryRow)
            .where(DiaryRow.patient_id == world.patient_ids["pat_a"])
        )
    assert count == 1


def test_bad_input_keeps_what_was_typed_and_stores_nothing(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "pat_a")
    data = diary_form(csrf)
    del data["saddle_numbness"]  # an alarm question left open: never taken as "no"
    data["paracetamol_tablets"] = "veel"
    data["note"] = "typed-by-the-patient"
    r = world.client.post(f"/diary/{clock.today}", data=data)
    assert r.status_code == 422
    assert "Kies een van de antwoorden." in r.text
    assert "typed-by-the-patient" in r.text
    assert 'value="veel"' in r.text
    assert re.search(r'id="paracetamol_tablets-error">[^<]+', r.text)
    with app.state.rughernia.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DiaryRow)) == 0
    # In English: a patient's pages follow their record's language, set by the switch.
    csrf = signed_in(world, "pat_a")
    r = world.client.post("/language", data={"csrf": csrf, "lang": "en", "next": "/diary"})
    assert r.status_code == 200
    r = world.client.post(f"/diary/{clock.today}", data={"csrf": csrf, "leg_pain": "12"})
    assert r.status_code == 422
    assert "Choose a number from 0 to 10." in r.text


def test_a_superscript_or_a_huge_number_is_a_form_error_not_a_500(
    world: World, app: Any, clock: Clock
) -> None:
    # '²' passes str.isdigit() and fails int(); so do 5,000 digits.
    csrf = signed_in(world, "pat_a")
    choice = next(q for q in DIARY_QUESTIONS if NL.questions[q].kind == "choice")
    for odd in ("²", "9" * 4400):
        # The long one in two fields only: in every field the body is over its 64 KB limit.
        fields = ("leg_pain", choice) if len(odd) > 1 else diary_form(csrf).keys() - {"csrf"}
        data = {**diary_form(csrf), **dict.fromkeys(fields, odd)}
        r = world.client.post(f"/diary/{clock.today}", data=data)
        assert r.status_code == 422, r.text[:300]
        assert "Kies een getal van 0 tot 10." in r.text
        assert NL.text("reask_choice") in r.text
    with app.state.rughernia.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DiaryRow)) == 0


def test_the_self_check_asks_again_after_a_superscript(world: World) -> None:
    c = world.client
    c.cookies.clear()
    page = c.get("/selfcheck").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    qid = re.search(r'name="qid" value="([^"]+)"', page)
    assert token is not None
    assert qid is not None
    for odd in ("²", "9" * 5000):
        form = {"csrf": token.group(1), "qid": qid.group(1), "answer": odd, "go": "next"}
        r = c.post("/selfcheck", data={**form, f"a.{qid.group(1)}": odd})
        assert r.status_code == 422, r.text[:300]
        assert NL.text("reask_number") in r.text or NL.text("reask_choice") in r.text
        assert f'name="qid" value="{qid.group(1)}"' in r.text  # the same question again


def test_a_day_before_the_onset_is_a_message_on_the_form_not_an_error_page(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "pat_a")
    data = {**diary_form(csrf), "note": "typed-before-onset"}
    r = world.client.post("/diary/2000-01-03", data=data)
    assert r.status_code == 422
    assert "Deze dag is vóór het begin van uw beenpijn." in r.text
    assert "typed-before-onset" in r.text  # what was typed is kept
    assert 'name="leg_pain" value="6" checked' in r.text
    with app.state.rughernia.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DiaryRow)) == 0


def test_a_day_has_one_url(world: World, clock: Clock) -> None:
    signed_in(world, "pat_a")
    assert world.client.get(f"/diary/{clock.today.isoformat()}").status_code == 200
    week = clock.today.isocalendar()
    for alias in (
        f"{week.year}-W{week.week:02d}-{week.weekday}",  # ISO week date: also 10 characters
        clock.today.strftime("%Y%m%d"),
        f"{clock.today.isoformat()} ",
    ):
        assert world.client.get(f"/diary/{alias}").status_code == 404, alias


def _intake_form(csrf: str, onset: dt.date) -> dict[str, str]:
    """Every intake question answered: 'no' where it can be, the first answer otherwise."""
    data = {"csrf": csrf}
    for qid in INTAKE_QUESTIONS:
        question = NL.questions[qid]
        if question.kind == "choice":
            values = [o.value for o in question.options]
            data[qid] = answer(qid, False if False in values else values[0])
        elif question.kind == "number":
            data[qid] = str(max(question.minimum, 40))
        else:
            data[qid] = onset.isoformat()
    return data


def test_an_intake_onset_after_a_kept_diary_day_is_a_message_at_the_onset(
    world: World, app: Any, clock: Clock
) -> None:
    csrf = signed_in(world, "pat_a")
    yesterday = clock.today - dt.timedelta(days=1)
    r = world.client.post(f"/diary/{yesterday}", data=diary_form(csrf), follow_redirects=False)
    assert r.status_code == 303
    r = world.client.post("/intake", data=_intake_form(csrf, clock.today), follow_redirects=False)
    assert r.status_code == 422
    assert re.search(r'id="onset-error">Uw dagboek heeft al dagen vóór deze datum', r.text)
    assert f'value="{clock.today.isoformat()}"' in r.text  # what was typed is kept
    r = world.client.post("/intake", data=_intake_form(csrf, yesterday), follow_redirects=False)
    assert r.status_code == 303


def test_a_nul_character_in_the_note_is_a_message_at_the_note(
    world: World, app: Any, clock: Clock
) -> None:
    # PostgreSQL cannot store one; the page said so only with an error page, input lost.
    csrf = signed_in(world, "pat_a")
    data = {**diary_form(csrf), "note": "before\x00after"}
    r = world.client.post(f"/diary/{clock.today}", data=data)
    assert r.status_code == 422
    assert re.search(r'id="note-error">[^<]+', r.text)
    assert 'name="leg_pain" value="6" checked' in r.text
    with app.state.rughernia.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DiaryRow)) == 0
