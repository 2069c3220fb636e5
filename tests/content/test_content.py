"""The clinical content against the shared code list: complete, in both languages, traceable."""

from __future__ import annotations

import copy
import re
from dataclasses import fields
from typing import Any

import pytest
import yaml

from rughernia import content
from rughernia.content import ContentError, load, parse, raw
from rughernia.pathway.engine import dose_values
from rughernia.pathway.model import Thresholds, Triage
from tests.pathway.builders import SPEC

CODES = yaml.safe_load((SPEC / "contract" / "codes.yaml").read_text())
SOURCES = {f"L{i}" for i in range(1, 11)} | {
    "NHG-M55",
    "NVN-LRS",
    "NHG-PIJN",
    "NICE-NG59",
    "OSTELO-2008",
    "NHG-M54",
    "NVIC",
    "GIRFT-CES",
    "POLICY",
}


def test_every_contract_code_has_content_and_no_more() -> None:
    c = load()
    finding_codes = {k for k, v in c.codes.items() if v.kind == "finding"}
    advice_codes = {k for k, v in c.codes.items() if v.kind == "advice"}
    assert finding_codes == set(CODES["findings"])
    assert advice_codes == set(CODES["advice"])


@pytest.mark.parametrize("kind", ["findings", "advice"])
def test_source_and_triage_are_those_of_the_contract(kind: str) -> None:
    c = load()
    for code, spec in CODES[kind].items():
        assert c.codes[code].source == spec["source"], code
        if kind == "findings":
            assert c.codes[code].triage == Triage.from_code(spec["triage"]), code


def test_every_text_exists_in_dutch_and_english_and_differs() -> None:
    c = load()
    for code, item in c.codes.items():
        assert item.text["nl"].strip(), code
        assert item.text["en"].strip(), code
        assert item.text["nl"] != item.text["en"], code
    for level in Triage:
        assert c.triage_text[level.code]["nl"] != c.triage_text[level.code]["en"]


def test_every_rule_and_threshold_names_a_known_source() -> None:
    data = raw()
    for kind in ("findings", "advice", "thresholds"):
        for name, entry in data[kind].items():
            assert entry["source"] in SOURCES, f"{kind}.{name}"
            assert entry.get("rule") or entry.get("note"), f"{kind}.{name} says when it applies"


def test_thresholds_are_those_of_clinical_md() -> None:
    t = load().thresholds
    assert (t.checkpoint_day, t.window_days, t.min_current_entries) == (56, 7, 3)
    assert (t.clear_drop_points, float(t.clear_drop_fraction), t.low_baseline) == (2, 0.3, 4)
    assert t.paracetamol_absolute_max_mg == 4000
    assert (t.adult_age, t.elderly_age, t.low_weight_kg, t.opioid_max_days) == (18, 70, 50, 14)
    assert {f.name for f in fields(Thresholds)} == set(raw()["thresholds"])


@pytest.mark.parametrize(
    ("maximum", "nl", "en"),
    [
        (3000, "4 tot 6 keer per dag 1 tablet van 500 mg", "4 to 6 times a day 1 tablet of 500 mg"),
        (2500, "4 tot 5 keer per dag 1 tablet van 500 mg", "4 to 5 times a day 1 tablet of 500 mg"),
        (2000, "4 keer per dag 1 tablet van 500 mg", "4 times a day 1 tablet of 500 mg"),
    ],
)
def test_the_paracetamol_dose_is_500_mg_tablets_never_1000(maximum: int, nl: str, en: str) -> None:
    c = load()
    for lang, want in (("nl", nl), ("en", en)):
        text = c.codes["PARACETAMOL_FIXED_TIMES"].text[lang]
        rendered = text.format_map(dose_values(c, maximum, lang))
        assert want in rendered
        assert f"{maximum // 500} " in rendered
        assert f"{maximum} mg" in rendered
    every_text = " ".join(t for item in c.codes.values() for t in item.text.values())
    assert not re.search(r"1000\s*mg", every_text)


def test_the_patient_is_shown_the_nhg_figure_not_the_leaflets_90_percent() -> None:
    text = load().codes["NATURAL_COURSE"].text
    assert "3 van de 4" in text["nl"]
    assert "3 out of 4" in text["en"]
    assert "90" not in text["nl"] + text["en"]


def test_no_forbidden_drugs_are_suggested() -> None:
    every_text = " ".join(t for item in load().codes.values() for t in item.text.values()).lower()
    for drug in (
        "gabapentin",
        "pregabalin",
        "amitriptyl",
        "duloxetin",
        "benzodiazepin",
        "prednison",
    ):
        assert drug not in every_text


def test_the_version_is_that_of_the_specification() -> None:
    heading = (SPEC / "CLINICAL.md").read_text().splitlines()[0]
    assert re.search(r"content version (\d+)", heading)[1] == load().version == "2"


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["advice"]["SAFETY_NET"].pop("en"),
            "advice.SAFETY_NET: the 'en' text is missing",
        ),
        (
            lambda d: d["thresholds"].pop("adult_age"),
            "thresholds.adult_age: needs a value and a source",
        ),
        (lambda d: d["findings"]["RECOVERED"].pop("source"), "findings.RECOVERED: needs a source"),
    ],
)
def test_broken_content_is_refused_with_the_entry_named(change: Any, message: str) -> None:
    with pytest.raises(ContentError, match=re.escape(message)):
        parse(_broken(change))


def test_content_module_reads_its_packaged_file() -> None:
    assert content.__name__ == "rughernia.content"
    assert raw()["version"] == load().version
