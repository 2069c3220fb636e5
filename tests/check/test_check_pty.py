"""``rughernia check`` in a real terminal (a pty), as a person would use it."""

from __future__ import annotations

import re

import pexpect

from rughernia.content import load

from .helpers import clean_env, command

RED = re.compile(r"\x1b\[[0-9;]*31m")  # Rich's red, as a colour terminal gets it


def spawn(*args: str) -> pexpect.spawn:
    env = clean_env()
    env.update(TERM="xterm-256color", COLUMNS="200")
    argv = [*command(), "check", "--today", "2026-03-02", *args]
    return pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=30, dimensions=(50, 200)
    )


def test_an_alarm_in_a_terminal_shows_the_red_emergency_instruction() -> None:
    child = spawn("--lang", "en")
    child.expect("around your anus")
    child.expect("Your answer: ")
    child.sendline("no")
    child.expect("hold your urine or your stool")
    child.expect("Your answer: ")
    child.sendline("yes")
    child.expect(r"You do not need to answer any more questions\.")
    child.expect(re.escape(load().triage_text["emergency"]["en"]))
    shown = child.before + child.after
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert RED.search(shown), "the emergency instruction is coloured red"
    assert "unable to pass urine" not in shown + child.before  # the next question never came


def test_ctrl_d_in_a_terminal_stops_cleanly() -> None:
    child = spawn()
    child.expect("Uw antwoord: ")
    child.sendline("wat?")
    child.expect("Dat antwoord ken ik niet")
    child.expect("Uw antwoord: ")
    child.sendeof()
    child.expect("Gestopt zonder uitslag")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Traceback" not in child.before
