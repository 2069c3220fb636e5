"""The CDS Hooks settings' checks: the key set file, the issuers, our public URL, demo mode.

Apart from settings.py to keep it short; both run when ``Settings.from_env`` does, so
a key set that cannot be read stops the server at start, not at the first EHR call.
"""

from __future__ import annotations

import json
import re
from typing import Any

_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
FLAG_HELP = "use 1 or 0 (or true/false, yes/no, on/off)"
JWKS_HELP = 'use the path of a JSON Web Key Set file ({"keys": [...]}) of public keys with a kid'
ISSUER_HELP = "use the issuers' URLs (https://...), separated by commas"
BY_ISSUER_HELP = (
    'give each issuer its own key set: {"https://ehr.example.org": {"keys": [...]}, ...}'
)
URL_HELP = "use this service's address as EHRs reach it, e.g. https://rughernia.example.nl"


class CdsSettingsError(ValueError):
    """One line: the variable, what is wrong, and what to use (``; use ...``)."""


def flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise CdsSettingsError(f"RUGHERNIA_{name.upper()}: {raw[:40]!r} is not allowed; {FLAG_HELP}")


def issuers(raw: str) -> tuple[str, ...]:
    found = tuple(part.strip() for part in raw.split(",") if part.strip())
    for issuer in found:
        if not _URL.match(issuer) or len(issuer) > 255:
            msg = f"RUGHERNIA_CDS_ISSUERS: {issuer[:60]!r} is not an issuer URL; {ISSUER_HELP}"
            raise CdsSettingsError(msg)
    return found


def public_url(raw: str) -> str:
    if raw and not _URL.match(raw):
        msg = f"RUGHERNIA_PUBLIC_URL: {raw[:60]!r} is not an absolute URL; {URL_HELP}"
        raise CdsSettingsError(msg)
    return raw.rstrip("/")


def load_jwks(path: str, issuer_list: str) -> dict[str, dict[str, Any]]:
    """Each issuer's key set from ``path``, by issuer: a key verifies only its own EHR.

    The file is one JWKS (``{"keys": [...]}``), allowed with one issuer only, or an
    object of key sets by issuer (``{"https://ehr.example.org": {"keys": [...]}}``),
    one for every issuer in ``issuer_list`` and no other. One key set for several
    issuers would let one EHR's key sign as another EHR (its ``jti`` space, its
    feedback), so it is refused at start.

    Private key material is refused: the file is the EHRs' public keys, and a private key
    found here is a mistake someone must see. Whether joserfc can use each key is checked
    where the tokens are (``interop.cds_jwt``), which names a bad key set as ``bad-jwks``.
    """
    where = f"RUGHERNIA_CDS_JWKS_FILE: {path[:80]!r}"
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise CdsSettingsError(f"{where} cannot be read ({exc.strerror}); {JWKS_HELP}") from None
    except ValueError:
        raise CdsSettingsError(f"{where} is not JSON; {JWKS_HELP}") from None
    wanted = issuers(issuer_list)
    if not wanted:
        raise CdsSettingsError(
            f"RUGHERNIA_CDS_ISSUERS: empty while RUGHERNIA_CDS_JWKS_FILE is set; {ISSUER_HELP}"
        )
    if not isinstance(data, dict):
        raise CdsSettingsError(f"{where} has no keys; {JWKS_HELP}")
    if "keys" in data:
        if len(wanted) != 1:
            raise CdsSettingsError(
                f"{where} is one key set for {len(wanted)} issuers; {BY_ISSUER_HELP}"
            )
        by_issuer = {wanted[0]: data}
    else:
        by_issuer = data
        if set(by_issuer) != set(wanted):
            raise CdsSettingsError(
                f"{where} has key sets for {sorted(by_issuer)[:5]}, not for exactly "
                f"RUGHERNIA_CDS_ISSUERS {list(wanted)[:5]}; {BY_ISSUER_HELP}"
            )
    return {issuer: _key_set(f"{where}: {issuer}", value) for issuer, value in by_issuer.items()}


def _key_set(where: str, data: Any) -> dict[str, Any]:
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not keys:
        raise CdsSettingsError(f"{where} has no keys; {JWKS_HELP}")
    for i, key in enumerate(keys):
        if not isinstance(key, dict) or not key.get("kty") or not key.get("kid"):
            raise CdsSettingsError(f"{where}: key {i} needs kty and kid; {JWKS_HELP}")
        if any(part in key for part in ("d", "p", "q", "k")):
            raise CdsSettingsError(f"{where}: key {i} holds private material; {JWKS_HELP}")
    return dict(data)


def check(jwks_file: str, issuer_list: str, url: str) -> None:
    """All three together: a key set needs issuers and our URL (the JWT's audience)."""
    issuers(issuer_list)
    public_url(url)
    if jwks_file:
        load_jwks(jwks_file, issuer_list)
        if not url:
            raise CdsSettingsError(
                f"RUGHERNIA_PUBLIC_URL: empty while RUGHERNIA_CDS_JWKS_FILE is set; {URL_HELP}"
            )
