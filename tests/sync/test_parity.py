"""Every public async method and paginator has a sync twin with the same name, parameters
(names, kinds, defaults, annotations) and the matching return type.

The async side is discovered by introspection, so a new async method without a twin fails here.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import pytest

from freestyle_async import AsyncFreestyle, AsyncPaginator
from freestyle_async.sync import Freestyle, SyncPaginator

# Async names whose sync twin is spelled differently.
RENAMED = {
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
}
# Return types that change across the bridge (beyond "a coroutine of T becomes T").
TYPE_TWINS: dict[Any, Any] = {
    AsyncFreestyle: Freestyle,
    AsyncPaginator: SyncPaginator,
    AsyncIterator: Iterator,
}


# Parameters whose sync annotation is, by design, one member of the async union: the sync
# ``upload_leads`` takes a plain iterable (read on the calling thread), not an async one.
SYNC_MEMBER_OF_UNION = {("upload_leads", "records")}


def _same(a: Any, b: Any) -> bool:
    """Type equality where two TypeVars of the same name count as the same."""
    if isinstance(a, typing.TypeVar) and isinstance(b, typing.TypeVar):
        return a.__name__ == b.__name__
    origin_a, origin_b = typing.get_origin(a), typing.get_origin(b)
    if origin_a is None or origin_b is None:
        return bool(a == b)
    args_a, args_b = typing.get_args(a), typing.get_args(b)
    return (
        origin_a is origin_b
        and len(args_a) == len(args_b)
        and all(_same(x, y) for x, y in zip(args_a, args_b, strict=True))
    )


def _resource_pairs() -> list[tuple[str, type, type]]:
    # AsyncFreestyle.__module__ is the package, so name the module its annotations live in.
    async_hints = typing.get_type_hints(
        AsyncFreestyle, globalns=vars(sys.modules[AsyncFreestyle.__init__.__module__])
    )
    pairs = []
    for name, async_cls in async_hints.items():
        if name.startswith("_"):
            continue
        prop = inspect.getattr_static(Freestyle, name)
        getter = getattr(prop, "func", None) or prop.fget
        sync_cls = typing.get_type_hints(getter)["return"]
        pairs.append((name, async_cls, sync_cls))
    return pairs


def _public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    methods: dict[str, Callable[..., Any]] = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if inspect.isfunction(member):
            methods[name] = member
    return methods


def _translate(hint: Any, *, coroutine: bool) -> Any:
    """The sync twin's expected return annotation for an async one."""
    if coroutine:
        return hint
    origin = typing.get_origin(hint)
    if origin in TYPE_TWINS:
        return TYPE_TWINS[origin][typing.get_args(hint)]
    return TYPE_TWINS.get(hint, hint)


def _returns(fn: Callable[..., Any]) -> Any:
    return typing.get_type_hints(fn).get("return")


def _check_twins(async_fn: Callable[..., Any], sync_fn: Callable[..., Any], where: str) -> None:
    async_sig, sync_sig = inspect.signature(async_fn), inspect.signature(sync_fn)
    assert [(p.name, p.kind, p.default) for p in async_sig.parameters.values()] == [
        (p.name, p.kind, p.default) for p in sync_sig.parameters.values()
    ], f"{where}: parameters differ"
    async_hints = typing.get_type_hints(async_fn)
    sync_hints = typing.get_type_hints(sync_fn)
    for name in async_sig.parameters:
        if name == "self":
            continue
        if (async_fn.__name__, name) in SYNC_MEMBER_OF_UNION:
            members = typing.get_args(async_hints[name])
            sync_members = [m for m in members if typing.get_origin(m) is Iterable]
            assert sync_members == [sync_hints[name]], f"{where}({name}=...) annotation"
            continue
        assert sync_hints.get(name) == async_hints.get(name), f"{where}({name}=...) annotation"
    expected = _translate(
        async_hints.get("return"), coroutine=inspect.iscoroutinefunction(async_fn)
    )
    assert _same(sync_hints.get("return"), expected), f"{where}: return type"


@pytest.mark.parametrize(("name", "async_cls", "sync_cls"), _resource_pairs())
def test_every_async_resource_method_has_a_sync_twin(
    name: str, async_cls: type, sync_cls: type
) -> None:
    async_methods = _public_methods(async_cls)
    sync_methods = _public_methods(sync_cls)
    assert async_methods, f"no methods found on {async_cls}"
    assert sorted(sync_methods) == sorted(async_methods), f"fs.{name}: method names differ"
    for method, async_fn in async_methods.items():
        _check_twins(async_fn, sync_methods[method], f"fs.{name}.{method}")


def test_the_resources_are_the_same() -> None:
    pairs = _resource_pairs()
    assert sorted(name for name, _, _ in pairs) == [
        "account",
        "billing",
        "dial_campaigns",
        "sms_campaigns",
    ]


def test_the_client_has_the_same_options_and_methods() -> None:
    _check_twins(AsyncFreestyle.__init__, Freestyle.__init__, "Freestyle()")
    async_public = {
        name: member
        for name, member in inspect.getmembers(AsyncFreestyle)
        if not name.startswith("_") or name in RENAMED
    }
    for name, member in async_public.items():
        twin_name = RENAMED.get(name, name)
        twin = inspect.getattr_static(Freestyle, twin_name, None)
        assert twin is not None, f"Freestyle.{twin_name} is missing"
        if isinstance(member, property):
            assert isinstance(twin, property), f"Freestyle.{twin_name} is not a property"
            assert twin.fget is not None and member.fget is not None
            assert _returns(twin.fget) == _returns(member.fget)
        elif name in ("__aenter__",):
            assert _returns(twin) == Freestyle
        elif name == "__aexit__":
            _check_twins(member, twin, "Freestyle.__exit__")
        elif name == "aclose":
            assert _returns(twin) is type(None) and _returns(member) is type(None)
        elif inspect.isfunction(member):
            _check_twins(member, twin, f"Freestyle.{name}")


def test_the_paginators_are_twins() -> None:
    public = {n for n in dir(AsyncPaginator) if not n.startswith("_")}
    assert public == {n for n in dir(SyncPaginator) if not n.startswith("_")}
    for name in [*public, "__aiter__"]:
        async_fn = getattr(AsyncPaginator, name)
        sync_fn = getattr(SyncPaginator, RENAMED.get(name, name))
        async_return = typing.get_type_hints(async_fn)["return"]
        sync_return = typing.get_type_hints(sync_fn)["return"]
        expected = _translate(async_return, coroutine=inspect.iscoroutinefunction(async_fn))
        assert _same(sync_return, expected), name
