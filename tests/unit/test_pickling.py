"""Errors cross process boundaries; what holds the API key refuses to.

Every exception class in the package (found by walking its modules, so a new one is covered
or this test says how to cover it) pickles and unpickles as itself, with its message, fields
and notes, and a ``multiprocessing`` worker that raises one reaches the parent. Every object
that holds or reaches the key (the clients, their resources, paginators, transport, config)
refuses pickling and copying with a ``TypeError`` that says why.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import io
import multiprocessing
import pickle
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import freestyle_async
from freestyle_async import AsyncFreestyle, Freestyle
from freestyle_async._secrets import KeyHolder

from .support import API_KEY, BASE_URL, ClientFactory, assert_no_key


def _package_classes() -> Iterator[type]:
    """Every class defined in a module of freestyle_async (bulk, testing and cli included)."""
    seen: set[type] = set()
    for info in pkgutil.walk_packages(freestyle_async.__path__, "freestyle_async."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value not in seen
                and value.__module__.startswith("freestyle_async")
            ):
                seen.add(value)
                yield value


# Exceptions that never leave the package, so never cross a process boundary.
INTERNAL = {
    "freestyle_async.testing._errors.ErrorAnswer": "raised by the emulator's handlers and turned "
    "into the HTTP error answer by its middleware",
    "freestyle_async.bulk._csv_scan.ScanProblem": "raised by the CSV pre-scan and turned into "
    "a CsvError by the reader",
    "freestyle_async.bulk._engine.ProgressCallbackFailed": "raised by the sync facade's record "
    "source and turned into a BulkUploadError by the upload",
}
EXCEPTIONS = sorted(
    (
        cls
        for cls in _package_classes()
        if issubclass(cls, BaseException)
        and f"{inspect.getmodule(cls).__name__}.{cls.__qualname__}" not in INTERNAL  # type: ignore[union-attr]
    ),
    key=lambda cls: cls.__qualname__,
)


def _bulk_report() -> Any:
    from freestyle_async.bulk import BulkUploadReport, ChunkResult, CsvRow, RecordIssue

    row = CsvRow({"phone1": "4165550100"}, 7)
    return BulkUploadReport(
        campaign_id="c_1",
        read=6,
        inserted=5,
        skipped_by_server=0,
        rejected=0,
        failed=1,
        unknown=0,
        already_done=0,
        chunks=[ChunkResult(0, 1, 5, "not_sent")],
        rejected_records=[],
        failed_records=[RecordIssue(5, 7, row, None, "not sent", outcome="failed")],
        unknown_records=[],
        refused_by_server=[],
        elapsed=1.0,
    )


# A value for a constructor parameter, by its annotation (the modules use string annotations).
_BY_ANNOTATION: dict[str, Callable[[str], Any]] = {
    "str": lambda name: f"{name} text",
    "str | None": lambda name: f"{name} text",
    "int": lambda name: 7,
    "int | None": lambda name: 7,
    "bool": lambda name: False,
    "float | None": lambda name: 2.5,
    "Any": lambda name: {"error": {"code": name, "message": ["nested", 1]}},
    "Mapping[str, str] | None": lambda name: {"X-Header": name},
    "BulkUploadReport": lambda name: _bulk_report(),
    "CsvFix | None": lambda name: "encoding",
}


def _sample(cls: type[BaseException]) -> BaseException:
    """An instance of ``cls`` with every constructor parameter given a non-default value (a
    message when the constructor is ``BaseException``'s ``*args``), and a note."""
    kwargs: dict[str, Any] = {}
    args: list[Any] = []
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except ValueError:  # no __init__ of the package's own
        parameters = [inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL)]
    for param in parameters:
        if param.kind is param.VAR_POSITIONAL:
            args.append(f"{cls.__qualname__} message")
            continue
        if param.kind is param.VAR_KEYWORD:
            continue
        annotation = str(param.annotation)
        if annotation not in _BY_ANNOTATION:
            pytest.fail(
                f"{cls.__qualname__}({param.name}: {annotation}): add a value for this "
                "annotation to _BY_ANNOTATION so the pickling sweep covers the class"
            )
        value = _BY_ANNOTATION[annotation](param.name)
        if param.kind is param.KEYWORD_ONLY:
            kwargs[param.name] = value
        else:
            args.append(value)
    exc = cls(*args, **kwargs)
    exc.add_note(f"a note on {cls.__qualname__}")
    return exc


def test_the_sweep_finds_the_exceptions_of_every_part() -> None:
    names = {cls.__qualname__ for cls in EXCEPTIONS}
    assert {
        "APIError",
        "NotFoundError",
        "APITimeoutError",
        "DecodeError",
        "ValidationError",
        "CsvError",
        "CheckpointError",
        "RecordRejected",
        "BulkUploadError",
        "CliError",
    } <= names


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__qualname__)
def test_every_exception_round_trips_through_pickle(cls: type[BaseException]) -> None:
    exc = _sample(cls)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):  # 0 and 1 predate __slots__
        back = pickle.loads(pickle.dumps(exc, protocol))
        assert type(back) is cls
        assert back.args == exc.args
        assert vars(back) == vars(exc)  # every field, and the notes
        assert (str(back), repr(back)) == (str(exc), repr(exc))


def _raise_in_worker(name: str) -> None:
    """Run in a pool worker: raise a sample of the exception class called ``name``."""
    (cls,) = [cls for cls in EXCEPTIONS if cls.__qualname__ == name]
    raise _sample(cls)


def test_a_pool_worker_that_raises_reaches_the_parent() -> None:
    """Before: the parent could not unpickle the error and ``get()`` waited forever."""
    names = ["NotFoundError", "APITimeoutError", "DecodeError", "CsvError", "BulkUploadError"]
    pool = multiprocessing.get_context("spawn").Pool(1)
    try:
        pending = [pool.apply_async(_raise_in_worker, (name,)) for name in names]
        for name, result in zip(names, pending, strict=True):
            with pytest.raises(BaseException) as info:
                result.get(timeout=60)
            assert type(info.value).__qualname__ == name
            (cls,) = [cls for cls in EXCEPTIONS if cls.__qualname__ == name]
            assert vars(info.value) == vars(_sample(cls))
    finally:
        pool.terminate()
        pool.join()


# -------------------------------------------------------------- what holds the key refuses
def _key_holders(client: AsyncFreestyle, sync: Freestyle) -> dict[str, object]:
    clone = client.with_options(timeout=5)
    return {
        "client": client,
        "with_options copy": clone,
        "other-key copy": client.with_options(api_key="ft_" + "9" * 64),
        "config": client._config,
        "transport": client._transport,
        "options": client._options,
        "secret": client._options.api_key,
        "dial_campaigns": client.dial_campaigns,
        "sms_campaigns": client.sms_campaigns,
        "billing": client.billing,
        "account": client.account,
        "paginator": client.dial_campaigns.list(),
        "copy's paginator": clone.sms_campaigns.list_messages("sc_1"),
        "sync client": sync,
        "sync dial_campaigns": sync.dial_campaigns,
        "sync sms_campaigns": sync.sms_campaigns,
        "sync billing": sync.billing,
        "sync account": sync.account,
        "sync paginator": sync.sms_campaigns.list(),
        "sync copy": sync.with_options(max_retries=0),
        "a list holding a client": [1, "two", client],
    }


@pytest.fixture
def sync_client() -> Iterator[Freestyle]:
    client = Freestyle(API_KEY, base_url=BASE_URL)
    yield client
    client.close()


def test_objects_that_hold_the_key_refuse_pickle_and_copy(
    make_client: ClientFactory, sync_client: Freestyle
) -> None:
    holders = _key_holders(make_client(), sync_client)
    for obj in holders.values():
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            buffer = io.BytesIO()
            with pytest.raises(TypeError, match="holds the API key, which a pickle") as info:
                pickle.Pickler(buffer, protocol).dump(obj)
            assert_no_key(buffer.getvalue().decode("latin-1"))
            assert_no_key(str(info.value))
        if isinstance(obj, list):
            continue
        for copier in (copy.copy, copy.deepcopy):
            with pytest.raises(TypeError, match=r"use with_options\(\)"):
                copier(obj)
    # Every class marked as holding the key has an instance in the sweep above.
    marked = {cls for cls in _package_classes() if issubclass(cls, KeyHolder)} - {KeyHolder}
    swept = {type(obj) for obj in holders.values()}
    missing = {cls.__qualname__ for cls in marked if not any(issubclass(t, cls) for t in swept)}
    assert not missing, f"add an instance of {missing} to _key_holders"


def test_a_client_pickle_error_says_what_to_do_instead(make_client: ClientFactory) -> None:
    with pytest.raises(TypeError) as info:
        pickle.dumps(make_client())
    assert str(info.value) == (
        "cannot pickle AsyncFreestyle: it holds the API key, which a pickle would store in "
        "clear. Create the client in the process that uses it (it reads FREESTYLE_API_KEY), "
        "and send it plain data."
    )
