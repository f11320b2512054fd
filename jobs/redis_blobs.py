"""Image bytes in Redis with a TTL (distributed mode).

Workers on other machines read the inputs and write the results here, so no machine needs a
shared folder. Inputs live at most `input_ttl` (deleted when their job ends anyway);
previews and results live `result_ttl`. Redis expires them: `sweep` has nothing to do.
"""

from __future__ import annotations

from typing import Any

import redis

from jobs.blobs import BlobKind, BlobMissing, check_ref, new_ref
from jobs.errors import ServiceUnavailable


class RedisBlobs:
    def __init__(self, client: redis.Redis, prefix: str, *, result_ttl: float, input_ttl: float):
        self.r: Any = client  # bytes in, bytes out: decode_responses=False
        self.p = prefix
        self.ttl: dict[BlobKind, int] = {
            "in": int(input_ttl), "preview": int(result_ttl), "result": int(result_ttl),
        }  # fmt: skip

    def _key(self, ref: str) -> str:
        return f"{self.p}blob:{check_ref(ref)}"

    def put(self, data: bytes, kind: BlobKind) -> str:
        ref = new_ref(kind)
        try:
            self.r.set(self._key(ref), data, ex=self.ttl[kind])
        except redis.RedisError as exc:  # a client's upload: tell it the service is away
            raise ServiceUnavailable("the image could not be kept") from exc
        return ref

    def get(self, ref: str) -> bytes:
        data: bytes | None = self.r.get(self._key(ref))
        if data is None:
            raise BlobMissing(ref)
        return data

    def delete(self, *refs: str) -> None:
        if refs:
            self.r.delete(*(self._key(ref) for ref in refs))

    def sweep(self) -> int:
        return 0
