"""One-time codes that people read aloud and type: invitations and password resets.

Shown once; the database keeps only a code's SHA-256. A code has about 79 bits of
chance, so no salt or slow hash is needed to keep a stolen copy of the database from
giving it away, and guessing online meets the throttle (care/throttle.py).
"""

from __future__ import annotations

import hashlib
import secrets

# Unambiguous letters and digits (no 0/O, 1/I/L): the code is read aloud and typed.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """E.g. ``K7QM-3XTA-9RWE-HP2D``."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))  # ~79 bits
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def code_hash(code: str) -> str:
    """Codes are typed by people: case, spaces and dashes do not matter."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
