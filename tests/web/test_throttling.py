"""The throttling policy (docs/api.md, "Throttling"), on both databases.

One address is slowed by rising delays, never locked: behind one NAT it is a whole
practice, and a user with no failures of their own must get in within the stated
maximum delay. Invitation redeem is throttled per code and per address.
"""

from __future__ import annotations

from typing import Any

from rughernia.settings import Settings
from tests.dbsupport import PASSWORD, Clock, World

SIGN_IN = "/api/v1/session"
REDEEM = "/api/v1/invitations/redeem"
DEFAULTS = Settings(database_url="sqlite://")
FREE = DEFAULTS.login_address_free_failures  # 10
MAX_DELAY = DEFAULTS.login_address_max_delay_seconds  # 30


def _guess(client: Any, name: str, password: str = "wrong-guess-1") -> Any:
    return client.post(SIGN_IN, json={"username": name, "password": password})


def test_credential_stuffing_from_one_address_is_slowed(world: World, clock: Clock) -> None:
    c = world.client
    # The first failures from an address cost nothing more than a failure.
    for i in range(FREE):
        assert _guess(c, f"leaked-{i}").status_code == 401
    # Then each further attempt must wait, and the wait doubles up to the maximum.
    waits = []
    for i in range(8):
        refused = _guess(c, f"stuffed-{i}")
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        wait = int(refused.headers["Retry-After"])
        waits.append(wait)
        clock.advance(seconds=wait)
        assert _guess(c, f"stuffed-{i}").status_code == 401  # the delay has passed: checked
    assert waits == [1, 2, 4, 8, 16, MAX_DELAY, MAX_DELAY, MAX_DELAY]
    # Many attempts at once get no check: refusals are not counted and do not push the delay.
    clock.advance(seconds=MAX_DELAY)
    burst = [_guess(c, f"burst-{i}").status_code for i in range(20)]
    assert burst == [401] + [429] * 19


def test_a_user_without_failures_signs_in_from_that_address_within_the_delay(
    world: World, clock: Clock
) -> None:
    c = world.client
    for i in range(4 * DEFAULTS.login_max_failures + FREE):  # well past today's address lock
        r = _guess(c, f"random-{i}")
        if r.status_code == 429:  # the attacker waits no longer than the stated maximum
            clock.advance(seconds=min(int(r.headers["Retry-After"]), MAX_DELAY))
    r = _guess(c, "doc_a", PASSWORD)
    if r.status_code == 429:
        wait = int(r.headers["Retry-After"])
        assert wait <= MAX_DELAY, r.text
        clock.advance(seconds=wait)
        r = _guess(c, "doc_a", PASSWORD)
    assert r.status_code == 200, r.text


def test_a_name_is_still_locked_after_five_failures(world: World, clock: Clock) -> None:
    c = world.client
    for _ in range(DEFAULTS.login_max_failures):
        assert _guess(c, "doc_a").status_code == 401
    r = _guess(c, "doc_a", PASSWORD)
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) == 60 * DEFAULTS.login_window_minutes
    assert _guess(c, "doc_b", PASSWORD).status_code == 200  # another name, same address
    clock.advance(minutes=DEFAULTS.login_window_minutes)
    assert _guess(c, "doc_a", PASSWORD).status_code == 200


def _invitation(world: World) -> str:
    r = world.client.post(
        "/api/v1/patients", json={"display_name": "Invitee"}, headers=world.h("doc_a")
    )
    assert r.status_code == 201, r.text
    code: str = r.json()["invitation_code"]
    return code


def _redeem(client: Any, code: str, username: str) -> Any:
    return client.post(REDEEM, json={"code": code, "username": username, "password": PASSWORD})


def test_one_code_cannot_test_usernames_unthrottled(world: World, clock: Clock) -> None:
    c, code = world.client, _invitation(world)
    taken = ["doc_a", "doc_b", "admin", "pat_a", "pat_b"]
    for name in taken:  # each answer says the name exists, and the code stays valid
        assert _redeem(c, code, name).status_code == 409
    r = _redeem(c, code, "pat_c")
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) == 60 * DEFAULTS.login_window_minutes
    # A different code from the same address is not locked by this one.
    assert _redeem(c, _invitation(world), "someone-else").status_code == 201
    clock.advance(minutes=DEFAULTS.login_window_minutes)
    r = _redeem(c, code, "pat_c")
    assert r.status_code == 201, r.text


def test_guessing_codes_from_one_address_is_slowed(world: World, clock: Clock) -> None:
    c = world.client
    for i in range(FREE):
        assert _redeem(c, f"ABCD-EFGH-JKMN-PQ{i:02d}", "guesser").status_code == 404
    r = _redeem(c, "ABCD-EFGH-JKMN-PQRT", "guesser")
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) == 1
    # A patient with a real code from that address gets in once the delay has passed.
    code = _invitation(world)
    clock.advance(seconds=int(r.headers["Retry-After"]))
    assert _redeem(c, code, "pat_c").status_code == 201


def test_a_password_that_breaks_the_rules_is_not_counted(world: World) -> None:
    c, code = world.client, _invitation(world)
    for _ in range(DEFAULTS.redeem_max_failures + 1):
        r = c.post(REDEEM, json={"code": code, "username": "pat_c", "password": " " * 12})
        assert r.status_code == 422, r.text
    assert _redeem(c, code, "pat_c").status_code == 201
