"""Every public async method and paginator has a sync twin with the same name, parameters
(names, kinds, defaults, annotations) and the matching return type; both clients take the
options of the one ``ClientOptions`` record.

The async side is discovered by introspection, so a new async method without a twin fails here.
"""

from __future__ import annotations

import collections.abc
import inspect
import ssl
import sys
import typing
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import aiohttp
import attrs
import pytest

from freestyle_async import (
    NOT_GIVEN,
    AsyncFreestyle,
    AsyncPaginator,
    RetryBudget,
    RetryPolicy,
    Timeout,
)
from freestyle_async._client_options import ClientOptions
from freestyle_async._codegen import COMMAND, OPTIONS, PACKAGE, generate_options
from freestyle_async._config import Proxy
from freestyle_async._extras import Pairs
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


def _check_twins(
    async_fn: Callable[..., Any],
    sync_fn: Callable[..., Any],
    where: str,
    sync_cls: type | None = None,
) -> None:
    """``sync_fn`` takes ``async_fn``'s parameters and returns its type across the bridge
    (``Self`` in a method of ``sync_cls`` standing for ``sync_cls``)."""
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
    returned = sync_hints.get("return")
    if returned is typing.Self and sync_cls is not None:
        returned = sync_cls
    assert _same(returned, expected), f"{where}: return type"


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
        elif name == "with_raw_response":
            _check_raw_response_twins(member, twin)
        elif inspect.isfunction(member):
            _check_twins(member, twin, f"Freestyle.{name}", Freestyle)


def _check_raw_response_twins(async_fn: Any, sync_fn: Any) -> None:
    """``with_raw_response`` takes and gives callables: the async one's ``Awaitable[X]``
    results are the sync one's ``X`` (a method of the async client in, one of the sync out)."""

    def unawait(hint: Any) -> Any:
        params, result = typing.get_args(hint)
        assert typing.get_origin(result) is collections.abc.Awaitable, hint
        return collections.abc.Callable[params, typing.get_args(result)[0]]

    assert list(inspect.signature(async_fn).parameters) == ["self", "method"]
    assert list(inspect.signature(sync_fn).parameters) == ["self", "method"]
    async_hints, sync_hints = typing.get_type_hints(async_fn), typing.get_type_hints(sync_fn)
    for name in ("method", "return"):
        # By their text: ``_same`` matches TypeVars by name, and ``_P`` is a ParamSpec.
        assert repr(unawait(async_hints[name])) == repr(sync_hints[name]), name


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


# ------------------------------------------------------------------ the client's options
OPTION_FIELDS = attrs.fields(ClientOptions)
PER_COPY = [f.name for f in OPTION_FIELDS if not f.metadata.get("shared")]


def test_the_options_record_lists_what_the_async_client_takes() -> None:
    """``ClientOptions`` is the one list of options: ``AsyncFreestyle()`` takes its fields in
    its order with its defaults (the key and the base URL default to ``None``: the
    environment), ``with_options`` the fields a copy may change. ``Freestyle``'s are held to
    ``AsyncFreestyle``'s by the twin check above."""
    init = inspect.signature(AsyncFreestyle.__init__).parameters
    assert list(init)[1:] == [f.name for f in OPTION_FIELDS], (
        "AsyncFreestyle.__init__ and ClientOptions list different options"
    )
    for field in OPTION_FIELDS:
        default = None if field.default is attrs.NOTHING else field.default
        assert init[field.name].default == default, f"AsyncFreestyle({field.name}=...) default"
    copy = inspect.signature(AsyncFreestyle.with_options).parameters
    assert list(copy)[1:] == PER_COPY, (
        "AsyncFreestyle.with_options takes other options than the ClientOptions fields not "
        "marked SHARED"
    )
    assert all(p.default is NOT_GIVEN for name, p in copy.items() if name != "self")


def test_the_committed_sync_option_methods_are_a_fresh_run_of_the_generator() -> None:
    committed = (PACKAGE / OPTIONS).read_text(encoding="utf-8")
    assert committed == generate_options(), (
        f"freestyle_async/{OPTIONS.as_posix()} differs from what the generator writes from "
        f"AsyncFreestyle: run `{COMMAND}` and commit the result"
    )


def _hook(event: object) -> None:
    pass


def _other_values() -> dict[str, object]:
    """A value other than the default for each option but the key, the URL and the session."""
    return {
        "timeout": Timeout(total=7.0),
        "max_retries": 5,
        "retry_policy": RetryPolicy(initial_backoff=0.1),
        "max_connections": 3,
        "ssl_context": ssl.create_default_context(),
        "max_response_bytes": 1234,
        "retry_budget": RetryBudget(max_tokens=3),
        "max_requests_per_second": 50.0,
        "max_concurrency": 2,
        "on_request": _hook,
        "on_response": _hook,
        "on_retry": _hook,
        "proxy": Proxy("http://proxy.example:3128"),
        "trust_env": False,
        "default_headers": Pairs((("X-Tenant", "acme"),)),
        "default_query": Pairs((("beta", "on"),)),
        "trace_configs": (aiohttp.TraceConfig(),),
    }


KEY = "ft_" + "5e" * 32
URL = "http://127.0.0.1:9/v1"


def _assert_options(options: ClientOptions, values: dict[str, object], key: str) -> None:
    assert options.api_key.value == key and options.base_url == URL
    for name, value in values.items():
        assert getattr(options, name) == value, name
        assert getattr(options, name) != getattr(attrs.fields(ClientOptions), name).default


async def test_every_option_given_reaches_the_async_clients_record() -> None:
    values = _other_values()
    assert {"api_key", "base_url", "session", *values} == {f.name for f in OPTION_FIELDS}
    fs = AsyncFreestyle(KEY, base_url=URL, **values)  # type: ignore[arg-type]
    _assert_options(fs._options, values, KEY)
    # trace_configs belong to a session the client makes: the two are refused together.
    async with aiohttp.ClientSession() as session:  # never used: the client makes no request
        with_session = AsyncFreestyle(KEY, base_url=URL, session=session)
        assert with_session._options.session is session
    per_copy = {name: value for name, value in values.items() if name in PER_COPY}
    copy = AsyncFreestyle(KEY, base_url="http://127.0.0.1:8/v1").with_options(
        api_key=KEY.upper(),
        base_url=URL,
        **per_copy,  # type: ignore[arg-type]
    )
    _assert_options(copy._options, per_copy, KEY.upper())


def test_every_option_given_reaches_the_sync_clients_record() -> None:
    values = _other_values()
    fs = Freestyle(KEY, base_url=URL, **values)  # type: ignore[arg-type]
    try:
        _assert_options(fs._options, values, KEY)
        per_copy = {name: value for name, value in values.items() if name in PER_COPY}
        plain = Freestyle(KEY, base_url="http://127.0.0.1:8/v1")
        copy = plain.with_options(api_key=KEY.upper(), base_url=URL, **per_copy)  # type: ignore[arg-type]
        _assert_options(copy._options, per_copy, KEY.upper())
        assert copy._client._options is copy._options  # the async copy on the loop has them
        plain.close()
    finally:
        fs.close()
