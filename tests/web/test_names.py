"""Names people read: no control, bidi-override or noncharacters, and not blank (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dbsupport import PASSWORD, World

BAD = {
    "bell": "Jan\x07",
    "newline": "Jan\nPiet",
    "c1 control": "Jan\x85",
    "rtl override": "Jan\u202enav",
    "lri isolate": "\u2066Jan",
    "noncharacter": "Jan\ufdd0",
    "plane-1 noncharacter": "Jan\U0001fffe",
    "ffff": "Jan\uffff",
    "three spaces": "   ",
}
GOOD = ("Jan de Vries", "Zoë Öztürk", "محمد", "李小龙", "Anne-Marie O'Neil", "👩\u200d⚕️ Dr. A")


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_every_name_field_refuses_it(world: World, value: str) -> None:
    c = world.client
    sends: list[tuple[str, str, dict[str, Any], str]] = [
        ("/api/v1/patients", "doc_a", {"display_name": value}, "display_name"),
        ("/api/v1/teams", "admin", {"name": value}, "name"),
        (
            "/api/v1/users",
            "admin",
            {"username": "new-doc", "password": PASSWORD, "role": "clinician", "teams": [value]},
            "teams[0]",
        ),
        (
            "/api/v1/users",
            "admin",
            {
                "username": "new-doc",
                "password": PASSWORD,
                "role": "clinician",
                "display_name": value,
            },
            "display_name",
        ),
    ]
    for url, who, body, path in sends:
        r = c.post(url, json=body, headers=world.h(who))
        assert r.status_code == 422, (url, body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        errors = r.json()["errors"]
        assert [e["path"] for e in errors] == [path], r.text
        message = errors[0]["message"]
        assert any(fix in message for fix in ("remove it", "must not be blank")), message
    names = [t["name"] for t in c.get("/api/v1/teams", headers=world.h("admin")).json()]
    assert value not in names
    assert value.strip() not in names


@pytest.mark.parametrize("value", GOOD)
def test_real_names_pass(world: World, value: str) -> None:
    r = world.client.post(
        "/api/v1/patients", json={"display_name": f" {value} "}, headers=world.h("doc_a")
    )
    assert r.status_code == 201, r.text
    assert r.json()["patient"]["display_name"] == value  # stored without the spaces around


def test_the_message_names_what_to_remove() -> None:
    from rughernia.care.names import name_problem  # here: the API tests run on main too

    assert name_problem("Jan\u202e") == "contains a text-direction control (U+202E); remove it"
    assert name_problem("a\x00") == "contains a control character (U+0000); remove it"
    assert name_problem("\t") is not None
    assert name_problem("Jan") is None
