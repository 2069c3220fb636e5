"""texts.toml: every entry in both languages; a missing one is refused by name."""

from __future__ import annotations

import pytest

from rughernia.interop.texts import TextsError, parse, table


def test_every_text_is_there_in_nl_and_en_and_they_differ_mostly() -> None:
    groups = table()
    assert {"card", "phase", "label", "questions"} <= set(groups)
    differ = [k for g in groups.values() for k, t in g.items() if t["nl"] != t["en"]]
    assert len(differ) >= 30


def test_a_missing_language_is_refused_by_name() -> None:
    with pytest.raises(TextsError, match=r"card\.link: the 'en' text is missing"):
        parse({"card": {"link": {"nl": "Open"}}})
