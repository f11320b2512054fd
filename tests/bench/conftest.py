"""The engine tests' sample photo and painting, shared with the benchmarks' tests."""

from tests.engine.conftest import content, style  # noqa: F401  (fixtures)
