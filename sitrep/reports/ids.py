"""Deterministic ids for exported objects: UUIDv5 of sitrep's own ids, so that exporting the
same records twice gives the same ids (STIX, MISP)."""

from __future__ import annotations

import hashlib
import uuid


def uuid5(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))``, made directly from the SHA-1 digest (the uuid
    module builds an object per id: most of the time of a MISP export at 100k claims)."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode("utf-8", "surrogatepass"))
                       .digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
