"""Image bytes by reference: user inputs, previews and results.

A reference is `<kind>-<32 hex>`, made here, so nothing a user sends ever names a path.
Inputs are deleted when their job ends; previews and results expire after the result TTL.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Literal, Protocol

BlobKind = Literal["in", "preview", "result"]
REF_RE = re.compile(r"^(in|preview|result)-[0-9a-f]{32}$")
ORPHAN_INPUT_AGE = 24 * 3600.0  # inputs of jobs a crash forgot


class BlobMissing(KeyError):
    """Never stored, deleted with its job, or expired."""


def new_ref(kind: BlobKind) -> str:
    return f"{kind}-{secrets.token_hex(16)}"


def check_ref(ref: str) -> str:
    if not REF_RE.match(ref):
        raise BlobMissing(ref)
    return ref


class BlobStore(Protocol):
    def put(self, data: bytes, kind: BlobKind) -> str: ...

    def get(self, ref: str) -> bytes:
        """The bytes; BlobMissing if they are gone."""
        ...

    def delete(self, *refs: str) -> None: ...

    def sweep(self) -> int:
        """Delete what has expired; returns how many."""
        ...


class FileBlobs:
    """Files in one folder (embedded mode)."""

    def __init__(self, root: Path, ttl: float) -> None:
        self.root = root
        self.ttl = ttl
        root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, kind: BlobKind) -> str:
        ref = new_ref(kind)
        tmp = self.root / f".{ref}.part"
        tmp.write_bytes(data)
        tmp.replace(self.root / ref)  # readers never see half a file
        return ref

    def get(self, ref: str) -> bytes:
        try:
            return (self.root / check_ref(ref)).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(ref) from None

    def delete(self, *refs: str) -> None:
        for ref in refs:
            (self.root / check_ref(ref)).unlink(missing_ok=True)

    def sweep(self) -> int:
        now, gone = time.time(), 0
        for path in self.root.iterdir():
            age_limit = ORPHAN_INPUT_AGE if path.name.startswith("in-") else self.ttl
            try:
                if now - path.stat().st_mtime > age_limit:
                    path.unlink()
                    gone += 1
            except FileNotFoundError:
                pass
        return gone
