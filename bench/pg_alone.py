"""PostgreSQL by itself: the signed-in routes' SQL run by pgbench, with no Python at all.

On the benchmark's machine the load generator, the app and the database
server share the same cores. This runs the statements that one diary PUT and
one assessment GET send (as SQLAlchemy logs them: the session lookup, the
patient with its access check, the record, the writes, the audit row and
the commit) straight from ``pgbench``, 32 clients, against the benchmark's
own schema and data. Its transactions per second are an upper bound for the
API route on this machine: the route does the same database work plus
everything in Python. Needs ``pgbench`` (Debian: postgresql-client).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import psycopg

SESSION = """\
SELECT sessions.id, sessions.token_hash, sessions.csrf_token, users.id AS id_1, users.username,
 users.role, users.display_name FROM sessions JOIN users ON users.id = sessions.user_id
 WHERE sessions.token_hash = '{token_hash}' AND sessions.expires_at > now() AND users.active;
SELECT patients.id, patients.team_id, patients.user_id, patients.display_name, patients.language,
 patients.created_at, EXISTS (SELECT * FROM team_members WHERE team_members.team_id =
 patients.team_id AND team_members.user_id = {user_id}) AS in_team FROM patients
 WHERE patients.id = :pid{lock};
"""
RECORD = """\
SELECT intakes.data, medications.step, medications.paracetamol_since, medications.nsaid,
 medications.nsaid_since, medications.opioid_since FROM intakes LEFT OUTER JOIN medications
 ON medications.patient_id = intakes.patient_id WHERE intakes.patient_id = :pid;
SELECT date, leg_pain, back_pain, pain_tolerable, painkillers_as_scheduled, paracetamol_mg,
 nsaid_taken, opioid_taken, hours_lying_daytime, exercised, note FROM diary_entries
 WHERE patient_id = :pid ORDER BY date;
"""
AUDIT = """\
INSERT INTO audit_log (at, user_id, username, role, patient_id, action, outcome, client_address)
 VALUES (now(), {user_id}, 'doc', 'clinician', :pid, '{action}', 'ok', '127.0.0.1')
 RETURNING audit_log.id;
COMMIT;
"""
# The newest stored assessment with its acknowledgement (compared with the fresh one).
NEWEST = """\
SELECT assessments.id, assessments.created_at, assessments.today, assessments.cause,
 assessments.triage, assessments.digest, alarm_acknowledgements.id, alarm_acknowledgements.at
 FROM assessments LEFT OUTER JOIN alarm_acknowledgements
 ON alarm_acknowledgements.assessment_id = assessments.id
 WHERE assessments.patient_id = :pid ORDER BY assessments.id DESC LIMIT 1;
"""
# A diary entry upserted, and an assessment inserted as the app does (the same columns, a
# stored assessment of the bench's data as its JSON).
WRITE = """\
INSERT INTO diary_entries (patient_id, date, leg_pain, back_pain, pain_tolerable, created_at,
 updated_at) VALUES (:pid, current_date - (:day)::int, :pain, 3, true, now(), now())
 ON CONFLICT (patient_id, date) DO UPDATE SET leg_pain = excluded.leg_pain,
 updated_at = excluded.updated_at;
INSERT INTO assessments (patient_id, created_at, today, content_version, triage, phase, cause,
 data, digest) VALUES (:pid, now(), current_date, '{content_version}', '{triage}', '{phase}',
 'diary', $json${data}$json$, '{digest}') RETURNING assessments.id;
"""


def scripts(token: str, user_id: int, ids: list[int], stored: dict[str, str]) -> dict[str, str]:
    head = f"\\set pid random({min(ids)}, {max(ids)})\n\\set day random(1, 14)\n"
    head += "\\set pain random(0, 10)\nBEGIN;\n"
    values = {"token_hash": hashlib.sha256(token.encode()).hexdigest(), "user_id": user_id}
    read = SESSION.format(**values, lock="") + RECORD + NEWEST
    write = SESSION.format(**values, lock=" FOR UPDATE OF patients") + RECORD
    write += WRITE.format(**stored)
    return {
        "diary PUT": head + write + AUDIT.format(**values, action="PUT diary"),
        "assessment GET": head + read + AUDIT.format(**values, action="GET assessment"),
    }


def run(url: str, token: str, ids: list[int], seconds: int, clients: int) -> dict[str, Any]:
    """pgbench's transactions per second for each route's SQL, on the database at ``url``."""
    if shutil.which("pgbench") is None or len(set(ids)) != max(ids) - min(ids) + 1:
        return {}  # no pgbench, or patient ids with gaps that random() would hit
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    dsn, _, query = plain.partition("?")
    found = re.search(r"search_path%3D([\w]+)", query)
    env = {"PGOPTIONS": f"-c search_path={unquote(found.group(1))}"} if found else {}
    with psycopg.connect(plain) as conn:
        row = conn.execute(
            "SELECT user_id FROM sessions WHERE token_hash = %s",
            (hashlib.sha256(token.encode()).hexdigest(),),
        ).fetchone()
        newest = conn.execute(
            "SELECT content_version, triage, phase, data::text, digest FROM assessments"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if row is None or newest is None:
        return {}
    stored = dict(
        zip(("content_version", "triage", "phase", "data", "digest"), newest, strict=True)
    )
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, text in scripts(token, int(row[0]), ids, stored).items():
            path = Path(tmp) / "route.sql"
            path.write_text(text)
            command = ["pgbench", "-n", "-M", "prepared", f"-c{clients}", "-j2"]
            command += [f"-T{seconds}", "-f", str(path), dsn]
            environ = {**os.environ, **env}
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=environ)
            if done.returncode != 0:  # a reference row only: report it and go on
                print(f"pgbench for {label} failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
                continue
            tps = re.search(r"^tps = ([\d.]+)", done.stdout, re.M)
            lat = re.search(r"^latency average = ([\d.]+) ms", done.stdout, re.M)
            if tps and lat:
                out[label] = {"tps": float(tps.group(1)), "latency_ms": float(lat.group(1))}
    return out
