"""``rughernia check`` in a real terminal (a pty), as a person would use it."""

from __future__ import annotations

import re

import pexpect

from .helpers import ANSI, CONTENT, PROMPT, clean_env, command, question, script, ui

RED = re.compile(r"\x1b\[[0-9;]*31m")  # Rich's red, as a colour terminal gets it
LEFT = "\x1b[D"  # the Left arrow key, as a terminal sends it
BACKSPACE = "\x7f"


def spawn(*args: str, rows: int = 50, columns: int = 200) -> pexpect.spawn:
    env = clean_env()
    # The size of the terminal is the pty's own, as in a real terminal window.
    env.pop("COLUMNS")
    env.pop("LINES")
    env.update(TERM="xterm-256color")
    argv = [*command(), "check", "--today", "2026-03-02", *args]
    return pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=30, dimensions=(rows, columns)
    )


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def test_an_alarm_in_a_terminal_shows_the_red_emergency_instruction() -> None:
    child = spawn("--lang", "en")
    child.expect("around your anus")
    child.expect(PROMPT["en"])
    child.sendline("no")
    child.expect("lose urine or stool")
    child.expect(PROMPT["en"])
    child.sendline("yes")
    child.expect(re.escape(ui("stopped", "en")))
    shown = finish(child)
    assert child.exitstatus == 0
    assert RED.search(shown), "the emergency instruction is coloured red"
    assert question("urinary_retention", "en")[:30] not in shown  # the next question never came


def test_line_editing_works_with_the_arrow_keys_and_backspace() -> None:
    child = spawn()
    child.expect(PROMPT["nl"])
    # "nex", Backspace: "ne"; Left arrow: the cursor before "e"; "e": "nee". Without line
    # editing the arrow would arrive as characters and the answer would not be understood.
    child.send("nex")
    child.send(BACKSPACE)
    child.send(LEFT)
    child.send("e\r")
    child.expect("Verliest u urine")
    typed = str(child.before)
    child.expect(PROMPT["nl"])
    assert ui("reask_choice", "nl") not in typed
    child.sendeof()
    finish(child)


def test_ctrl_d_in_a_terminal_stops_cleanly() -> None:
    child = spawn()
    child.expect(PROMPT["nl"])
    child.sendline("wat?")
    child.expect(re.escape(ui("reask_choice", "nl")))
    child.expect(PROMPT["nl"])
    child.sendeof()
    child.expect(re.escape(ui("eof", "nl")))
    rest = finish(child)
    assert child.exitstatus == 1
    assert "Traceback" not in rest


def screen_lines(output: str) -> list[str]:
    """The lines as the terminal shows them at the end (the output had no cursor moves)."""
    lines = [ANSI.sub("", line).rstrip("\r").split("\r")[-1] for line in output.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def test_on_an_80x24_terminal_the_instruction_is_in_view_at_the_end() -> None:
    child = spawn("--lang", "nl", rows=24, columns=80)
    output = ""
    for answer in script("nl"):
        child.expect(PROMPT["nl"])
        output += str(child.before) + str(child.after)
        child.sendline(answer)
    output += finish(child)
    assert child.exitstatus == 0
    lines = screen_lines(output)
    assert max(len(line) for line in lines) <= 80
    # 23 rows: the shell's prompt takes the last one when the program has ended.
    visible = lines[-23:]
    assert visible[-1].lstrip().startswith("╰")
    in_view = " ".join(" ".join(row.strip(" │╭╮╰╯─") for row in visible).split())
    assert " ".join(CONTENT.triage_text["self_care"]["nl"].split()) in in_view
    assert ui("level_self_care", "nl") in in_view
