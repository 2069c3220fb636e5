"""The CDS clients' key sets (``cds_settings.load_jwks``): one key set per issuer, so that
no EHR's key can sign as another EHR; every mistake stops the start naming the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import ECKey, KeySet

from rughernia.cds_settings import CdsSettingsError, load_jwks

A, B = "https://a.example.org", "https://b.example.org"


def key_set(private: bool = False) -> dict[str, Any]:
    key = ECKey.generate_key("P-256", parameters={"kid": "k1"}, private=True)
    return dict(KeySet([key]).as_dict(private=private))


def written(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_one_key_set_is_bound_to_the_one_issuer(tmp_path: Path) -> None:
    jwks = key_set()
    assert load_jwks(written(tmp_path, jwks), A) == {A: jwks}


def test_key_sets_by_issuer_are_read_each_for_its_issuer(tmp_path: Path) -> None:
    a, b = key_set(), key_set()
    assert load_jwks(written(tmp_path, {A: a, B: b}), f"{A}, {B}") == {A: a, B: b}


@pytest.mark.parametrize(
    ("data", "issuers", "message"),
    [
        (lambda: key_set(), f"{A}, {B}", "one key set for 2 issuers"),
        (lambda: {A: key_set()}, f"{A}, {B}", "not for exactly"),
        (lambda: {A: key_set(), B: key_set()}, A, "not for exactly"),
        (lambda: {A: {"keys": []}}, A, f"{A} has no keys"),
        (lambda: {A: key_set(private=True)}, A, "private material"),
        (lambda: [1], A, "has no keys"),
    ],
)
def test_a_key_set_that_does_not_fit_the_issuers_is_refused(
    tmp_path: Path, data: Any, issuers: str, message: str
) -> None:
    with pytest.raises(CdsSettingsError, match="RUGHERNIA_CDS_JWKS_FILE") as info:
        load_jwks(written(tmp_path, data()), issuers)
    assert message in str(info.value)
    assert "; " in str(info.value)  # and what to do instead
