"""Schemathesis against the app's own OpenAPI document, in process.

One test per operation of the document (read from the app, so a new operation is
tested without a change here). Each runs Schemathesis' positive cases (valid by
the schema) and negative cases (invalid by it), at least 100 each where the
operation has inputs, as one of several callers: anonymous, patient A, the
clinician of A's team, an admin, or someone with a made-up bearer token. Some
cases are pointed at the real records of patient A and B (and their real
assessment ids), so the handlers' inner paths run, not only the "no such
patient" answer. Every answer must pass:

- ``not_a_server_error``: no 5xx, for any input;
- ``response_schema_conformance``: the body matches the documented schema;
- ``status_code_conformance``: the status is one the document lists;
- ``content_type_conformance``: the media type is the documented one.

Runs on SQLite; set RUGHERNIA_SCHEMATHESIS_PG=1 to run it on PostgreSQL too. The number
of cases per mode and operation is RUGHERNIA_SCHEMATHESIS_CASES (default 100, kept small
for CI's time; a release run uses 500 or more).
"""

from __future__ import annotations

import datetime as dt
import os
import string
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rughernia.web.docs import OPENAPI_PATH
from tests.dbsupport import Clock, World, intake_for
from tests.web.routesupport import Route, collection_app, openapi_operations, route_id

MIN_CASES = int(os.environ.get("RUGHERNIA_SCHEMATHESIS_CASES", "100"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
CALLERS = ("anonymous", "pat_a", "doc_a", "admin", "made-up token")
# Visible ASCII and space: what a client can put in a header at all.
TOKEN_TEXT = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ")

DATABASES = ["sqlite"]
if os.environ.get("RUGHERNIA_SCHEMATHESIS_PG") == "1":
    DATABASES.append(pytest.param("postgresql", marks=pytest.mark.pg))

OPERATIONS = openapi_operations(collection_app())


def _records(world: World, clock: Clock) -> tuple[dict[str, int], dict[str, int]]:
    """Patient A and B with an alarm (so acknowledging has something to act on) and a diary."""
    pids, aids = {}, {}
    for p in ("a", "b"):
        pid = world.patient_ids[f"pat_{p}"]
        r = world.client.put(
            f"/api/v1/patients/{pid}/intake",
            json=intake_for(clock.today - dt.timedelta(days=21), saddle_numbness=True),
            headers=world.h(f"doc_{p}"),
        )
        assert r.status_code == 200, r.text
        pids[p], aids[p] = pid, r.json()["assessment"]["id"]
        r = world.client.put(
            f"/api/v1/patients/{pid}/diary/{clock.today}",
            json={"leg_pain": 5},
            headers=world.h(f"pat_{p}"),
        )
        assert r.status_code == 201, r.text
    return pids, aids


def test_every_route_is_in_the_document() -> None:
    """The OpenAPI document is the input of the tests below; a route missing from it is
    not fuzzed, so the document must hold every API route (the docs page aside)."""
    from tests.web.routesupport import api_routes

    documented = set(OPERATIONS)
    undocumented = {
        r
        for r in api_routes(collection_app())
        if r not in documented and r[1] != OPENAPI_PATH and r[1] != "/api/v1/docs"
    }
    assert not undocumented, f"routes missing from the OpenAPI document: {sorted(undocumented)}"


def _fuzz(
    api_operation: Any,
    mode: schemathesis.GenerationMode,
    world: World,
    targets: dict[str, tuple[int, int]],
    today: dt.date,
    statuses: set[int],
) -> int:
    """Run one generation mode's cases against the operation; the number of cases run."""
    count = 0
    signs_out = api_operation.label == "DELETE /api/v1/session"

    @settings(
        max_examples=MIN_CASES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=api_operation.as_strategy(generation_mode=mode),
        caller=st.sampled_from(CALLERS),
        token=TOKEN_TEXT,
        record=st.sampled_from(["a", "b", None]),
        days_ago=st.integers(min_value=0, max_value=21),
    )
    def run(case: Any, caller: str, token: str, record: str | None, days_ago: int) -> None:
        nonlocal count
        params = case.path_parameters
        if record is not None and params and mode.is_positive:
            pid, aid = targets[record]
            if "patient_id" in params:
                params["patient_id"] = pid
            if "assessment_id" in params:
                params["assessment_id"] = aid
            if "date" in params:  # a day of the record's course: from onset to today
                params["date"] = (today - dt.timedelta(days=days_ago)).isoformat()
        headers = {}
        if caller == "made-up token":
            headers["Authorization"] = f"Bearer {token}"
        elif caller != "anonymous":
            headers["Authorization"] = f"Bearer {world.tokens[caller]}"
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        statuses.add(response.status_code)
        count += 1
        if signs_out and caller in world.tokens and response.status_code == 204:
            world.sign_in(caller)  # keep the caller signed in for the next cases

    try:
        run()
    except Unsatisfiable:
        # Nothing in the request can be made invalid: no parameters and no body.
        assert mode.is_negative
        assert not api_operation.path_parameters
        assert not api_operation.query
        assert not api_operation.body
        return -1
    return count


@pytest.mark.parametrize("migrated", DATABASES, indirect=True)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[route_id(o) for o in OPERATIONS])
def test_operation(operation: Route, world: World, app: Any, clock: Clock) -> None:
    method, path = operation
    pids, aids = _records(world, clock)
    targets = {p: (pids[p], aids[p]) for p in pids}
    schema = schemathesis.openapi.from_asgi(OPENAPI_PATH, app)
    api_operation = schema[path][method]
    statuses: set[int] = set()
    counts = {
        mode.value: _fuzz(api_operation, mode, world, targets, clock.today, statuses)
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    }
    print(f"{route_id(operation)}: cases {counts}, statuses {sorted(statuses)}")
    assert counts["positive"] >= MIN_CASES, counts
    assert counts["negative"] in (-1, *range(MIN_CASES, 10 * MIN_CASES)), counts
