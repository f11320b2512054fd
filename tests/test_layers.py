"""The layers hold: imports run down from the composition root to the engine, never up or
sideways, and no module imports itself through others. Read from the source, so a lazy import
inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# package -> the packages of ours it may import
ALLOWED: dict[str, set[str]] = {
    "engine": set(),
    "styles": set(),
    "jobs": {"engine", "styles"},
    "api": {"jobs", "engine", "styles"},
    "bot": {"jobs", "engine", "styles"},
    "stylize": {"api", "bot", "jobs", "engine", "styles"},
    "bench": {"stylize", "api", "bot", "jobs", "engine", "styles", "tests"},
}


def modules() -> Iterator[tuple[str, Path]]:
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


def imported(path: Path, name: str, *, types: bool = True) -> set[str]:
    """Every module of ours that `path` imports, wherever in the file; with `types=False`,
    not those imported for type checking only (they never run, so they make no loop)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    if not types:
        for block in [n for n in ast.walk(tree) if isinstance(n, ast.If)]:
            if ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] in ALLOWED or m.split(".")[0] == "tests"}


def test_packages_import_only_downwards() -> None:
    wrong = []
    for name, path in modules():
        top = name.split(".")[0]
        for target in imported(path, name):
            other = target.split(".")[0]
            if other != top and other not in ALLOWED[top]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_loops_between_modules() -> None:
    known = dict(modules())
    graph = {
        name: {t for t in imported(path, name, types=False) if t in known and t != name}
        for name, path in known.items()
    }
    # a package's __init__ re-exporting its own modules is not a loop of code
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    assert [loop for loop in strongly_connected(graph) if len(loop) > 1] == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_loop_finder_finds_loops() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert sorted(strongly_connected(graph)) == [["a", "b", "c"], ["d"]]
