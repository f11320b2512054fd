"""`python -m bot` in distributed mode never paints, so it never loads the engine: a real
process against the fake Bot API, checked through the libraries mapped into it."""

from __future__ import annotations

from pathlib import Path

from bench.client_memory import measure_bot
from tests.jobs.distributed.conftest import RedisServer, redis_server  # noqa: F401  (fixture)


def test_the_bot_process_loads_neither_torch_nor_onnxruntime(
    redis_server: RedisServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    _, libraries = measure_bot(redis_server.url, tmp_path)
    assert libraries == []
