"""Users, teams, sessions and sign-in throttling, on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rughernia.store import accounts

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_users_and_teams(session: Session) -> None:
    a, b = accounts.ensure_team(session, "A"), accounts.ensure_team(session, "B")
    assert accounts.ensure_team(session, "A").id == a.id
    user = accounts.add_user(
        session, username="doc", password_hash="h", role="clinician", team_ids=[b.id, a.id]
    )
    session.commit()
    assert accounts.team_ids_of(session, user.id) == sorted([a.id, b.id])
    assert accounts.team_names_of(session, [user.id]) == {user.id: ["A", "B"]}
    assert accounts.user_by_name(session, "doc") is not None
    assert accounts.count_users(session) == 1


def test_sessions_expire(session: Session) -> None:
    user = accounts.add_user(session, username="u", password_hash="h", role="admin")
    accounts.add_session(
        session,
        user_id=user.id,
        token_hash="t",
        csrf_token="c",
        expires_at=T0 + dt.timedelta(hours=1),
    )
    session.commit()
    assert accounts.session_user(session, "t", T0) is not None
    assert accounts.session_user(session, "t", T0 + dt.timedelta(hours=1)) is None
    accounts.delete_expired_sessions(session, T0 + dt.timedelta(hours=2))
    session.commit()
    assert accounts.session_user(session, "t", T0) is None


def test_inactive_users_have_no_session(session: Session) -> None:
    user = accounts.add_user(session, username="u", password_hash="h", role="admin")
    accounts.add_session(
        session,
        user_id=user.id,
        token_hash="t",
        csrf_token="c",
        expires_at=T0 + dt.timedelta(hours=1),
    )
    user.active = False
    session.commit()
    assert accounts.session_user(session, "t", T0) is None


def test_throttling_locks_after_max_failures_within_the_window(session: Session) -> None:
    window = dt.timedelta(minutes=15)
    for i in range(3):
        assert accounts.locked_until(session, "name:x", T0) is None
        accounts.record_failure(
            session, "name:x", T0 + dt.timedelta(seconds=i), max_failures=3, window=window
        )
        session.commit()
    until = accounts.locked_until(session, "name:x", T0 + dt.timedelta(seconds=3))
    assert until is not None
    assert until > T0
    assert accounts.locked_until(session, "name:x", T0 + dt.timedelta(hours=1)) is None
    accounts.clear_failures(session, "name:x")
    session.commit()
    assert accounts.locked_until(session, "name:x", T0) is None


def test_failures_outside_the_window_start_over(session: Session) -> None:
    window = dt.timedelta(minutes=15)
    accounts.record_failure(session, "k", T0, max_failures=2, window=window)
    accounts.record_failure(
        session, "k", T0 + dt.timedelta(minutes=20), max_failures=2, window=window
    )
    session.commit()
    assert accounts.locked_until(session, "k", T0 + dt.timedelta(minutes=21)) is None


def test_forgiving_a_failure_lifts_only_a_lock_that_it_caused(session: Session) -> None:
    window = dt.timedelta(minutes=15)
    for _ in range(3):
        accounts.record_failure(session, "k", T0, max_failures=3, window=window)
    assert accounts.locked_until(session, "k", T0) is not None
    accounts.forgive_failure(session, "k", max_failures=3)  # the third was not a failure
    session.commit()
    assert accounts.locked_until(session, "k", T0) is None
    for _ in range(2):
        accounts.record_failure(session, "k", T0, max_failures=3, window=window)
    accounts.forgive_failure(session, "k", max_failures=3)  # three failures remain
    session.commit()
    assert accounts.locked_until(session, "k", T0) is not None
    accounts.forgive_failure(session, "nobody", max_failures=3)  # nothing counted: no-op
    assert accounts.locked_until(session, "nobody", T0) is None


def test_holding_a_key_makes_its_row_and_reports_its_lock(session: Session) -> None:
    assert accounts.locked_until(session, "new", T0, hold=True) is None
    session.commit()
    window = dt.timedelta(minutes=15)
    accounts.record_failure(session, "new", T0, max_failures=1, window=window)
    session.commit()
    assert accounts.locked_until(session, "new", T0, hold=True) == T0 + window
    assert accounts.locked_until(session, "new", T0 + window, hold=True) is None
