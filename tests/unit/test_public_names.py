"""The package's public names come from one table (``_EXPORTS``): ``__all__``, ``dir()``, the
lazy imports and the names type checkers see all agree, and ``import freestyle_async`` loads
no HTTP stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import freestyle_async

INIT = Path(freestyle_async.__file__)


def _type_checking_imports() -> dict[str, str]:
    """name -> module of the ``X as X`` imports under ``if TYPE_CHECKING:`` in ``__init__``."""
    found: dict[str, str] = {}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
                for alias in statement.names:
                    assert alias.asname == alias.name, f"{alias.name}: write `X as X`"
                    found[alias.name] = "." * statement.level + (statement.module or "")
    return found


def test_type_checkers_see_the_names_of_the_table() -> None:
    assert _type_checking_imports() == freestyle_async._EXPORTS


def test_the_table_gives_all_and_dir_and_every_name_resolves() -> None:
    assert freestyle_async.__all__ == sorted(freestyle_async._EXPORTS)
    assert dir(freestyle_async) == freestyle_async.__all__
    for name, module in freestyle_async._EXPORTS.items():
        value = getattr(freestyle_async, name)
        origin = sys.modules[f"freestyle_async{module}" if module != "." else "freestyle_async"]
        assert getattr(origin, name) is value, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        freestyle_async.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("no AttributeError")


_PROBE = """
import sys
import freestyle_async
from freestyle_async import APIError, Account, NOT_GIVEN, Timeout, __version__
freestyle_async.errors.FreestyleError, freestyle_async.models.Page
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("aiohttp", "tenacity", "cattrs"))
print(",".join(heavy))
from freestyle_async import AsyncFreestyle
print("aiohttp" in sys.modules)
"""


def test_import_and_the_light_names_load_no_http_stack() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["", "True"]


_USER_CODE = """
from freestyle_async import AsyncFreestyle, APIError, Freestyle, Timeout, __version__

def make() -> AsyncFreestyle:
    return AsyncFreestyle(timeout=Timeout(total=5.0))

version: str = __version__
errors: tuple[type[APIError], type[Freestyle]] = (APIError, Freestyle)
"""


def test_a_users_imports_type_check_and_a_misspelt_name_does_not(tmp_path: Path) -> None:
    """mypy --strict sees the lazily imported names with their types (and, as
    ``__getattr__`` is hidden from it, refuses a name the package does not have)."""
    good = tmp_path / "good.py"
    good.write_text(_USER_CODE, encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text("from freestyle_async import AsyncFreestyel\n", encoding="utf-8")
    cache = str(tmp_path / "cache")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, str(good), str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and errors[0].startswith(str(bad)), proc.stdout
    assert "AsyncFreestyel" in errors[0]
