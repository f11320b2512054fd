"""`python -m api` in distributed mode never paints, so it never loads the engine: a real
process, checked through the libraries mapped into it."""

from __future__ import annotations

from pathlib import Path

from bench.client_memory import measure_api
from tests.jobs.distributed.conftest import RedisServer, redis_server  # noqa: F401  (fixture)


def test_the_api_process_loads_neither_torch_nor_onnxruntime(
    redis_server: RedisServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    _, libraries = measure_api(redis_server.url, tmp_path)
    assert libraries == []
