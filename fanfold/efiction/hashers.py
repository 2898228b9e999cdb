"""eFiction's password storage: `md5(password)` as 32 hex digits, no salt.

Imported accounts are stored as `efiction_md5$<hex>` so Django can tell them apart.
Django calls `verify` on login and, because this hasher is not the first in
`PASSWORD_HASHERS`, re-encodes the password with the preferred one (Argon2) as soon as
it is verified. Nothing ever creates a new md5 hash: `encode` exists for that upgrade
path and for tests.
"""

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

ALGORITHM = "efiction_md5"


def encoded_from_legacy(md5_hex: str) -> str | None:
    """The stored form of an eFiction `password` column, or None when it is not an md5."""
    md5_hex = md5_hex.strip().lower()
    if len(md5_hex) != 32 or any(c not in "0123456789abcdef" for c in md5_hex):
        return None
    return f"{ALGORITHM}${md5_hex}"


class EfictionMD5PasswordHasher(BasePasswordHasher):
    algorithm = ALGORITHM

    def salt(self) -> str:
        return ""

    def encode(self, password: str, salt: str = "") -> str:
        # usedforsecurity=False: this reproduces a legacy format, it is not a new hash.
        digest = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
        return f"{ALGORITHM}${digest}"

    def decode(self, encoded: str) -> dict:
        algorithm, digest = encoded.split("$", 1)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": None}

    def verify(self, password: str, encoded: str) -> bool:
        return constant_time_compare(encoded, self.encode(password))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass
