"""No two modules of ``freestyle_async`` import each other, directly or around a loop.

The graph is read from the source with :mod:`ast`, so it holds every import: at module level,
under ``if TYPE_CHECKING:``, in ``try`` blocks and inside functions (a deferred import still
means each module needs the other). ``from package import name`` is an edge to the submodule
``package.name`` when there is one, else to the package's ``__init__``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import freestyle_async

PACKAGE = Path(freestyle_async.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(name: str, source: str, *, is_package: bool = False) -> Iterator[str]:
    """The modules module ``name`` imports anywhere in ``source`` (its text)."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                yield submodule if submodule in MODULES else module


def import_graph() -> dict[str, set[str]]:
    return {
        name: {
            target
            for target in _imported(
                name, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
            )
            if target in MODULES
        }
        - {name}
        for name, path in MODULES.items()
    }


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One loop of imports (its first module repeated at the end), or ``None``."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph[node]):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                found = visit(target)
                if found is not None:
                    return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            found = visit(start)
            if found is not None:
                return found
    return None


SAMPLE = """
from __future__ import annotations
import json
from typing import TYPE_CHECKING
from .. import _json, models
from . import VERSION
from ..errors import FreestyleError
if TYPE_CHECKING:
    from .._client import AsyncFreestyle
try:
    from ._speed import fast
except ImportError:
    pass
def later() -> None:
    from ..testing import Emulator
"""


def test_the_graph_sees_type_only_and_deferred_imports() -> None:
    found = set(_imported("freestyle_async.cli._x", SAMPLE))
    assert found == {
        "__future__",
        "json",
        "typing",
        "freestyle_async._json",  # `from .. import _json`: the submodule
        "freestyle_async.models",  # a subpackage
        "freestyle_async.cli",  # `from . import VERSION`: no such submodule, so the __init__
        "freestyle_async.errors",
        "freestyle_async._client",  # under TYPE_CHECKING
        "freestyle_async.cli._speed",  # in a try block
        "freestyle_async.testing",  # inside a function
    }
    package = "freestyle_async._sync"
    in_package = set(_imported(package, "from .. import resources", is_package=True))
    assert in_package == {"freestyle_async.resources"}  # a submodule, not the root's __init__


def test_the_cycle_finder_reports_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _find_cycle(graph) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    cycle = _find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_emulator_imports_nothing_of_the_sdk_but_its_repr_guard() -> None:
    """The emulator is written from the API reference, not from the SDK's rules: apart from
    the pytest plugin (which hands out SDK clients), its modules may import only the
    ``safe_repr`` guard from outside ``freestyle_async.testing``."""
    allowed = {"freestyle_async._reprs"}
    for name, targets in import_graph().items():
        if not name.startswith("freestyle_async.testing") or name.endswith(".pytest_plugin"):
            continue
        outside = {t for t in targets if not t.startswith("freestyle_async.testing")}
        assert outside <= allowed, f"{name} imports {sorted(outside - allowed)}"
