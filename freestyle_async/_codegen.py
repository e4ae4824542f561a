"""Writes ``_sync/_resources.py``, the sync resources, from the async ones, and
``_sync/_options.py``, ``Freestyle``'s ``__init__`` and ``with_options``, from
``AsyncFreestyle``'s.

::

    python -m freestyle_async._codegen           # rewrite both files
    python -m freestyle_async._codegen --check   # exit 1 if either is out of date

For each class ``freestyle_async/resources/__init__.py`` exports, ``Async<Area>``, it reads the
class's module with :mod:`ast` and writes a ``Sync<Area>`` whose public methods have the async
method's parameters, defaults, annotations and docstring as written there. A coroutine method
becomes a plain method that hands the coroutine method to the loop thread (``Portal.call``); a
method returning an ``AsyncPaginator`` returns a ``SyncPaginator`` around it. An ``Iterable``
argument is read into a tuple on the calling thread first, so the caller's iterator is never
touched by the loop thread.

The client's option methods are written the same way: each hands its arguments to a method
``Freestyle`` writes by hand (``_open``, ``_copy``), returns ``Self`` where the async one
returns ``AsyncFreestyle``, and deletes in a ``finally`` the names the async one deletes there
(the key, and a base URL that may hold a password, kept out of a traceback's locals).

Methods that need more than that (``upload_leads``, whose input and callback belong to the
calling thread) are written by hand in ``_sync/_served.py``, on a class ``Served<Area>``;
the generated class inherits them and leaves them out. The output is laid out as ``ruff
format`` and ruff's import sorting would lay it out, so it passes both untouched.

It lives outside ``_sync`` and imports nothing from the package, so it runs even when the
module it writes is broken (by a name an async signature no longer imports, say).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import difflib
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final, NamedTuple

__all__ = ["COMMAND", "CodegenError", "generate", "generate_options", "main"]

#: The command that rewrites the generated module (quoted by the check that it is current).
COMMAND: Final = "python -m freestyle_async._codegen"

PACKAGE: Final = Path(__file__).resolve().parent
TARGET: Final = Path("_sync") / "_resources.py"
SERVED: Final = Path("_sync") / "_served.py"
#: The client's option methods: read from CLIENT, written to OPTIONS.
CLIENT: Final = Path("_client.py")
OPTIONS: Final = Path("_sync") / "_options.py"

_INDENT: Final = "    "
_LINE_LENGTH: Final = 100
_BUILTINS: Final = frozenset(dir(builtins))
# A return annotation that makes a method a list method, and a parameter annotation whose
# value the calling thread reads into a tuple before the call.
_PAGINATOR: Final = "AsyncPaginator"
_ITERABLE: Final = "Iterable"
# The async client, its methods whose twins are generated and the hand-written method of
# ``Freestyle`` each twin hands its arguments to.
_CLIENT_CLASS: Final = "AsyncFreestyle"
_OPTION_METHODS: Final = {"__init__": "_open", "with_options": "_copy"}


class CodegenError(Exception):
    """The async source has a shape the generator cannot bridge (it says what and where)."""


class _Import(NamedTuple):
    """``from <module> import <name> as <alias>`` (``module`` with its leading dots), or
    ``import <name>`` when ``module`` is empty."""

    module: str
    name: str
    alias: str | None = None

    @property
    def local(self) -> str:
        return self.alias or self.name


class _Source:
    """One parsed module of the async side: a resource module, or the client's."""

    def __init__(self, path: Path, module: str, *, home: str = "..resources") -> None:
        self.path = path
        self.module = module  # e.g. "dial", for names defined there
        # Its package as the generated module (in _sync/) reaches it: "..resources", or ".."
        # for the package root (whose private modules _sync may import).
        self.home = home
        self.text = path.read_text(encoding="utf-8")
        self.tree = ast.parse(self.text, filename=str(path))
        self.imports: dict[str, _Import] = {}
        self.defined: set[str] = set()
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom):
                prefix = "." * node.level + (node.module or "")
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = _Import(
                        prefix, alias.name, alias.asname
                    )
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname is not None or "." in alias.name:
                        raise self.error(node, "write `import x` only, or `from x import y`")
                    self.imports[alias.name] = _Import("", alias.name)
            elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                self.defined.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                self.defined.update(t.id for t in targets if isinstance(t, ast.Name))

    def error(self, node: ast.AST, problem: str) -> CodegenError:
        line = getattr(node, "lineno", "?")
        return CodegenError(f"{self.path}:{line}: {problem}")

    def segment(self, node: ast.expr) -> str:
        """The expression as written (so the output keeps its quotes and spacing)."""
        text = ast.get_source_segment(self.text, node)
        if text is None or "\n" in text:
            raise self.error(
                node, "an annotation or default spans lines: give it a name (a type alias)"
            )
        return text

    def resolve(self, name: str, node: ast.AST) -> _Import | None:
        """Where the generated module gets ``name`` from (``None``: a builtin)."""
        found = self.imports.get(name)
        if found is not None:
            if found.module.startswith(".") and not found.module.startswith(".."):
                if self.home == "..":
                    return found._replace(module="." + found.module)
                # A sibling in resources/: reach it through the package, as another package must.
                if found.module.lstrip(".").startswith("_"):
                    raise self.error(
                        node,
                        f"{name!r} comes from a private module of resources/; the sync twin "
                        "cannot import it. Export it from a public module.",
                    )
                return found._replace(module=self.home + found.module)
            return found
        if name in self.defined:
            prefix = self.home if self.home == ".." else self.home + "."
            return _Import(prefix + self.module, name)
        if name in _BUILTINS:
            return None
        raise self.error(node, f"cannot tell where {name!r} comes from")


class _Param(NamedTuple):
    text: str  # "name: annotation = default", or "/", "*", "*args: T"
    forward: str  # how the generated method passes it on ("" for "/" and "*")
    read: str | None = None  # its name, when the calling thread reads it into a tuple


class _Imports:
    """The names the generated module imports, with a check that no two sources share one."""

    def __init__(self) -> None:
        self._by_local: dict[str, _Import] = {}

    def add(self, item: _Import, where: str) -> None:
        known = self._by_local.setdefault(item.local, item)
        if known != item:
            raise CodegenError(
                f"{where}: {item.local!r} means {_describe(item)} here but {_describe(known)} "
                "in another resource module; import one of them under another name"
            )

    def __iter__(self) -> Iterator[_Import]:
        return iter(self._by_local.values())


def _describe(item: _Import) -> str:
    if not item.module:
        return f"`import {item.name}`"
    alias = f" as {item.alias}" if item.alias else ""
    return f"`from {item.module} import {item.name}{alias}`"


def _names(node: ast.AST | None) -> Iterator[ast.Name]:
    if node is not None:
        yield from (n for n in ast.walk(node) if isinstance(n, ast.Name))


def _exports(package: Path) -> list[tuple[str, str]]:
    """(module, class) of each class ``resources/__init__.py`` imports, in ``__all__`` order."""
    init = _Source(package / "resources" / "__init__.py", "")
    exported: list[str] = []
    for node in init.tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            exported = list(ast.literal_eval(node.value))
    pairs = []
    for name in exported:
        found = init.imports.get(name)
        if found is None or not found.module.startswith(".") or found.module.startswith(".."):
            raise init.error(init.tree, f"{name!r} in __all__ is not imported from a sibling")
        pairs.append((found.module.lstrip("."), found.name))
    return pairs


def _served(package: Path) -> dict[str, set[str]]:
    """The hand-written methods in ``_served.py``: class name -> method names."""
    source = _Source(package / SERVED, "")
    return {
        node.name: {
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
        }
        for node in source.tree.body
        if isinstance(node, ast.ClassDef)
    }


def _area(name: str) -> str:
    """``Account`` of the async resource ``AsyncAccount``: its twin is ``SyncAccount``."""
    if not name.startswith("Async") or name == "Async":
        raise CodegenError(
            f"resources/__init__.py: {name!r} is not named Async<Area> (AsyncAccount, say), "
            "so its sync twin has no name"
        )
    return name.removeprefix("Async")


def _find_class(source: _Source, name: str) -> ast.ClassDef:
    for node in source.tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise source.error(source.tree, f"no class {name}")


def _is(source: _Source, node: ast.expr | None, name: str) -> bool:
    """Whether ``node`` is ``name[...]`` (as imported under any local name)."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.value, ast.Name):
        return False
    found = source.imports.get(node.value.id)
    return found is not None and found.name == name


def _params(source: _Source, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[_Param]:
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != "self":
        raise source.error(fn, f"{fn.name}() is not a plain method (no self)")
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults

    def one(arg: ast.arg, default: ast.expr | None, prefix: str = "") -> str:
        text = prefix + arg.arg
        if arg.annotation is not None:
            text += ": " + source.segment(arg.annotation)
        if default is not None:
            text += (" = " if arg.annotation is not None else "=") + source.segment(default)
        return text

    def param(arg: ast.arg, default: ast.expr | None, keyword: bool) -> _Param:
        passed = arg.arg
        read = _is(source, arg.annotation, _ITERABLE)
        if read:  # read on the calling thread: the loop thread never touches the iterator
            passed = f"tuple({passed})"
        if keyword:
            passed = f"{arg.arg}={passed}"
        return _Param(one(arg, default), passed, arg.arg if read else None)

    params: list[_Param] = []
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        if index:
            params.append(param(arg, default, keyword=False))
        if index == len(args.posonlyargs) - 1:
            params.append(_Param("/", ""))
    if args.vararg is not None:
        params.append(_Param(one(args.vararg, None, "*"), "*" + args.vararg.arg))
    elif args.kwonlyargs:
        params.append(_Param("*", ""))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(param(arg, kw_default, keyword=True))
    if args.kwarg is not None:
        params.append(_Param(one(args.kwarg, None, "**"), "**" + args.kwarg.arg))
    return params


def _docstring(
    source: _Source, fn: ast.FunctionDef | ast.AsyncFunctionDef, read: Sequence[str]
) -> list[str]:
    """The async docstring, and a note on the arguments the calling thread reads first."""
    text = ast.get_docstring(fn, clean=True)
    if not text:
        raise source.error(fn, f"{fn.name}() has no docstring to copy")
    if read:
        names = " and ".join(f"``{name}``" for name in read)
        text += f"\n\nHere {names} {'is' if len(read) == 1 else 'are'} read on the calling thread."
    if '"""' in text or text.endswith('"'):
        raise source.error(fn, f"{fn.name}()'s docstring holds a quote the generator cannot copy")
    prefix = "r" if "\\" in text else ""
    lines = text.splitlines()
    indent = _INDENT * 2
    if len(lines) == 1:
        return [f'{indent}{prefix}"""{lines[0]}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}{prefix}"""{lines[0]}', *body, f'{indent}"""']


def _import_names(
    source: _Source,
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    returns: ast.expr | None,
    imports: _Imports,
) -> None:
    """Add to ``imports`` every name ``fn``'s parameters (annotations and defaults) and
    ``returns`` (the part of its return annotation the twin keeps) use."""
    used = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    used += [a for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
    nodes: list[ast.AST | None] = [a.annotation for a in used]
    nodes += [*fn.args.defaults, *fn.args.kw_defaults, returns]
    for node in nodes:
        for name in _names(node):
            found = source.resolve(name.id, name)
            if found is not None:
                imports.add(found, f"{source.path.name}: {fn.name}()")


def _method(
    source: _Source, fn: ast.FunctionDef | ast.AsyncFunctionDef, imports: _Imports
) -> list[str]:
    returns = fn.returns
    if returns is None:
        raise source.error(fn, f"{fn.name}() has no return annotation")
    paginated = _is(source, returns, _PAGINATOR)
    if isinstance(fn, ast.FunctionDef) and not paginated:
        raise source.error(
            fn,
            f"{fn.name}() is neither a coroutine nor returns an AsyncPaginator: write its sync "
            f"twin by hand in {SERVED.as_posix()}",
        )
    if isinstance(fn, ast.AsyncFunctionDef) and paginated:
        raise source.error(fn, f"{fn.name}() is a coroutine returning a paginator")

    if paginated:
        assert isinstance(returns, ast.Subscript)
        result = f"SyncPaginator[{source.segment(returns.slice)}]"
        _import_names(source, fn, returns.slice, imports)
    else:
        result = source.segment(returns)
        _import_names(source, fn, returns, imports)

    params = _params(source, fn)
    i1, i2, i3, i4 = (_INDENT * n for n in (1, 2, 3, 4))
    lines = [f"{i1}def {fn.name}(", f"{i2}self,"]
    lines += [f"{i2}{p.text}," for p in params]
    read = [p.read for p in params if p.read]
    lines += [f"{i1}) -> {result}:", *_docstring(source, fn, read)]
    forwards = [p.forward for p in params if p.forward]
    if paginated:
        lines += [f"{i2}return SyncPaginator(", f"{i3}self._portal,"]
        lines += [f"{i3}self._async.{fn.name}(", *(f"{i4}{f}," for f in forwards)]
        lines += [f"{i3}),", f"{i2})"]
    else:
        lines += [f"{i2}return self._portal.call(", f"{i3}self._async.{fn.name},"]
        lines += [*(f"{i3}{f}," for f in forwards), f"{i2})"]
    return lines


def _class(
    source: _Source, name: str, served: dict[str, set[str]], imports: _Imports
) -> tuple[list[str], bool]:
    """The sync twin of class ``name``, and whether it uses ``SyncPaginator``."""
    node = _find_class(source, name)
    area = _area(name)
    handwritten = served.get(f"Served{area}", set())
    base = f"Served{area}" if f"Served{area}" in served else f"SyncResource[resources.{name}]"
    methods = [
        item
        for item in node.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        and not item.name.startswith("_")
    ]
    stale = handwritten - {m.name for m in methods}
    if stale:
        raise CodegenError(
            f"{SERVED.as_posix()}: Served{area} writes {', '.join(sorted(stale))} by hand, "
            f"but {name} has no such method"
        )
    doc = (ast.get_docstring(node) or name).splitlines()[0]
    lines = [
        f"class Sync{area}({base}):",
        f'{_INDENT}"""{doc}',
        "",
        f"{_INDENT}The blocking twin of ``resources.{name}``.",
        f'{_INDENT}"""',
        "",
        f"{_INDENT}__slots__ = ()",
    ]
    paginated = False
    for method in methods:
        if method.name in handwritten:
            continue
        lines += ["", *_method(source, method, imports)]
        paginated |= _is(source, method.returns, _PAGINATOR)
    return lines, paginated


def _member_key(name: str) -> tuple[int, str]:
    """ruff's isort order of imported names: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, name.lower()


def _import_lines(items: Iterable[_Import]) -> list[str]:
    """The import block, laid out and ordered as ruff (isort rules, then format) does."""
    straight: dict[str, set[str]] = {"stdlib": set(), "third": set()}
    froms: dict[str, dict[tuple[str, str | None], list[_Import]]] = {
        "stdlib": {},
        "third": {},
        "first": {},
    }
    for item in items:
        if item.module.startswith("."):
            section = "first"
        else:
            top = (item.module or item.name).split(".")[0]
            section = "stdlib" if top in sys.stdlib_module_names else "third"
        if not item.module:
            straight[section].add(item.name)
            continue
        # Plain names of one module share a statement; each aliased name has its own.
        key = (item.module, None if item.alias is None else item.name)
        froms[section].setdefault(key, []).append(item)

    def module_key(module: str) -> tuple[int, str]:
        stripped = module.lstrip(".")
        return -(len(module) - len(stripped)), stripped.lower()

    blocks = [["from __future__ import annotations"]]
    for section in ("stdlib", "third", "first"):
        block = [f"import {name}" for name in sorted(straight.get(section, ()), key=str.lower)]
        statements = sorted(
            froms[section].values(),
            key=lambda group: (
                module_key(group[0].module),
                min(_member_key(i.name) for i in group),
            ),
        )
        for group in statements:
            block += _from_statement(group)
        if block:
            blocks.append(block)
    lines: list[str] = []
    for block in blocks:
        lines += [*block, ""]
    return lines[:-1]


def _from_statement(group: Sequence[_Import]) -> list[str]:
    module = group[0].module
    names = sorted(
        (f"{i.name} as {i.alias}" if i.alias else i.name for i in group),
        key=lambda text: _member_key(text.split(" ")[0]),
    )
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= _LINE_LENGTH:
        return [one_line]
    return [f"from {module} import (", *(f"{_INDENT}{n}," for n in names), ")"]


_HEADER: Final = f'''"""The sync resources: each method hands its async twin to the loop thread.

Generated by ``{COMMAND}`` from ``freestyle_async/resources``: do not edit
(a test fails when this file and a fresh run differ). Parameters, defaults, annotations and
docstrings are the async methods' own; methods that need the served call are written by hand
in :mod:`._served`.
"""'''


def generate(package: Path = PACKAGE) -> str:
    """The text of ``_resources.py`` for the package at ``package``."""
    served = _served(package)
    imports = _Imports()
    classes: list[list[str]] = []
    needs: set[str] = set()
    exported = _exports(package)
    for module, name in exported:
        source = _Source(package / "resources" / f"{module}.py", module)
        lines, paginated = _class(source, name, served, imports)
        classes.append(lines)
        needs |= {"SyncPaginator"} if paginated else set()
        served_name = f"Served{_area(name)}"
        needs |= {served_name if served_name in served else "SyncResource"}
    imports.add(_Import("..", "resources"), "generator")
    if "SyncPaginator" in needs:
        imports.add(_Import("._paginator", "SyncPaginator"), "generator")
    for name in sorted(needs - {"SyncPaginator"}):
        imports.add(_Import("._served", name), "generator")

    twins = [f"Sync{_area(name)}" for _, name in exported]
    out = [_HEADER, "", *_import_lines(imports), ""]
    out.append("__all__ = [" + ", ".join(f'"{t}"' for t in sorted(twins)) + "]")
    for lines in classes:
        out += ["", "", *lines]
    out += ["", ""]
    out.append(f"for _cls in ({', '.join(twins)}):")
    out.append(f'{_INDENT}_cls.__module__ = "freestyle_async.sync"')
    return "\n".join(out) + "\n"


_OPTIONS_HEADER: Final = f'''"""``Freestyle.__init__`` and ``with_options``, AsyncFreestyle's twins.

Generated by ``{COMMAND}`` from ``freestyle_async/{CLIENT.as_posix()}``:
do not edit (a test fails when this file and a fresh run differ). Parameters, defaults,
annotations and docstrings are ``AsyncFreestyle``'s own; each method hands its arguments to
``Freestyle`` (:mod:`._client`), and clears from its frame what the async method clears from
its own (the key, and a base URL that may hold a password).
"""'''


def _cleared(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The names ``fn`` deletes in the ``finally`` of a ``try`` of its body (the key and a
    URL that a traceback's locals must not show)."""
    return [
        target.id
        for node in fn.body
        if isinstance(node, ast.Try)
        for statement in node.finalbody
        if isinstance(statement, ast.Delete)
        for target in statement.targets
        if isinstance(target, ast.Name)
    ]


def _option_method(
    source: _Source, fn: ast.FunctionDef, target: str, imports: _Imports
) -> tuple[list[str], str]:
    """The twin of the client method ``fn`` (it hands its arguments to ``self.<target>``),
    and its return annotation."""
    returns = fn.returns
    if returns is None:
        raise source.error(fn, f"{fn.name}() has no return annotation")
    # The client's own class becomes Self: the twin returns a Freestyle.
    result = "Self" if source.segment(returns) == _CLIENT_CLASS else source.segment(returns)
    _import_names(source, fn, None if result == "Self" else returns, imports)
    params = _params(source, fn)
    i1, i2, i3 = (_INDENT * n for n in (1, 2, 3))
    lines = [f"{i1}def {fn.name}(", f"{i2}self,", *(f"{i2}{p.text}," for p in params)]
    lines.append(f"{i1}) -> {result}:")
    if ast.get_docstring(fn) is not None:
        lines += _docstring(source, fn, [])
    call = "return " if result != "None" else ""
    forwards = [f"{i3}{p.forward}," for p in params if p.forward]
    cleared = _cleared(fn)
    if not cleared:
        return [*lines, f"{i2}{call}self.{target}(", *forwards, f"{i2})"], result
    forwards = [_INDENT + line for line in forwards]
    lines += [f"{i2}try:", f"{i3}{call}self.{target}(", *forwards, f"{i3})"]
    lines += [f"{i2}finally:", f"{i3}del {', '.join(cleared)}"]
    return lines, result


def generate_options(package: Path = PACKAGE) -> str:
    """The text of ``_sync/_options.py`` for the package at ``package``."""
    source = _Source(package / CLIENT, CLIENT.stem, home="..")
    node = _find_class(source, _CLIENT_CLASS)
    methods = {
        item.name: item
        for item in node.body
        if isinstance(item, ast.FunctionDef) and item.name in _OPTION_METHODS
    }
    missing = sorted(set(_OPTION_METHODS) - set(methods))
    if missing:
        raise source.error(node, f"{_CLIENT_CLASS} has no {', '.join(missing)}")
    imports = _Imports()
    imports.add(_Import("typing", "Any"), "generator")
    body: list[str] = []
    stubs: list[str] = []
    i1, i2 = _INDENT, _INDENT * 2
    for name, target in _OPTION_METHODS.items():
        lines, result = _option_method(source, methods[name], target, imports)
        body += ["", *lines]
        stubs += [
            "",
            f"{i1}def {target}(self, *args: Any, **kwargs: Any) -> {result}:",
            f'{i2}"""What ``{name}`` does with its arguments (``Freestyle`` writes it)."""',
            f"{i2}raise NotImplementedError",
        ]
        if result == "Self":
            imports.add(_Import("typing", "Self"), "generator")
    out = [_OPTIONS_HEADER, "", *_import_lines(imports), "", '__all__ = ["FreestyleOptions"]']
    out += ["", "", "class FreestyleOptions:"]
    out.append(f'{i1}"""The option methods of ``Freestyle``, twins of ``{_CLIENT_CLASS}``\'s."""')
    out += ["", f"{i1}__slots__ = ()", *body, *stubs]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None, package: Path = PACKAGE) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Write the sync resources and Freestyle's option methods from the async ones.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 (with a diff) if the committed file is out of date",
    )
    args = parser.parse_args(argv)
    try:
        texts = {TARGET: generate(package), OPTIONS: generate_options(package)}
    except CodegenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = 0
    for path, text in texts.items():
        target = package / path
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current == text:
            continue
        if not args.check:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
            continue
        stale = 1
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{path.as_posix()} (committed)",
                f"{path.as_posix()} (generated)",
            )
        )
        print(f"{path.as_posix()} is out of date: run `{COMMAND}`", file=sys.stderr)
    return stale


if __name__ == "__main__":
    sys.exit(main())
