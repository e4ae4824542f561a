"""Start, close, reuse after close, finalizers, interpreter exit, fork, key hygiene."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from freestyle_async import FreestyleError, Timeout, ValidationError
from freestyle_async.sync import Freestyle
from freestyle_async.testing import Faults

from .conftest import EmulatorThread, wait_until

KEY = "ft_" + "ab" * 32


def _loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "freestyle-loop"]


def test_thread_starts_on_first_use_and_close_joins_it(emulator: EmulatorThread) -> None:
    baseline = set(threading.enumerate())
    fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)
    assert set(threading.enumerate()) == baseline, "no thread before the first call"
    assert repr(fs) == "<Freestyle (not started)>"
    fs.account.get()
    (thread,) = _loop_threads()
    assert thread.daemon
    fs.close()
    assert not thread.is_alive()
    assert set(threading.enumerate()) == baseline
    assert fs.closed
    fs.close()  # idempotent


def test_calls_after_close_raise_a_clear_error(emulator: EmulatorThread) -> None:
    with Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url) as fs:
        paginator = fs.dial_campaigns.list()
        fs.account.get()
    assert repr(fs) == "<Freestyle (closed)>"
    assert fs.base_url == emulator.emu.base_url  # settings stay readable, as on AsyncFreestyle
    for call in (fs.account.get, paginator.first_page, lambda: list(paginator)):
        with pytest.raises(FreestyleError, match="closed: create a new Freestyle"):
            call()
    never_started = Freestyle(KEY, base_url="http://127.0.0.1:9/v1")
    never_started.close()
    with pytest.raises(FreestyleError, match="closed"):
        never_started.account.get()


def test_option_errors_surface_on_first_use_or_with() -> None:
    with pytest.raises(ValidationError, match="plain http"):
        Freestyle(KEY, base_url="http://api.example.com/v1").account.get()
    with pytest.raises(ValidationError, match="whitespace"), Freestyle(KEY + "\n"):
        pass
    assert _loop_threads() == []


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"max_connections": 0}, id="max_connections"),
        pytest.param({"max_response_bytes": 0}, id="max_response_bytes"),
        pytest.param({"max_retries": -1}, id="max_retries"),
        pytest.param({"timeout": "soon"}, id="timeout"),
        pytest.param({"max_concurrency": 0}, id="max_concurrency"),
        pytest.param({"on_retry": 5}, id="hook"),
    ],
)
def test_every_option_is_checked_by_the_constructor(options: dict[str, object]) -> None:
    """As AsyncFreestyle checks them: the record both clients build refuses the value before
    any loop thread starts."""
    with pytest.raises(ValidationError, match=next(iter(options))):
        Freestyle(KEY, base_url="http://127.0.0.1:9/v1", **options)  # type: ignore[arg-type]
    assert _loop_threads() == []


def test_settings_are_read_without_starting_the_loop_thread() -> None:
    fs = Freestyle(KEY, base_url="http://127.0.0.1:9/v1", timeout=3, max_retries=1)
    assert (fs.base_url, fs.timeout, fs.max_retries) == (
        "http://127.0.0.1:9/v1",
        Timeout(total=3.0),
        1,
    )
    assert _loop_threads() == []
    fs.close()


def test_a_session_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="bound to the loop"):
        Freestyle(KEY, session=object())  # type: ignore[arg-type]


def test_the_key_never_shows(emulator: EmulatorThread) -> None:
    fs = Freestyle(KEY, base_url=emulator.emu.base_url)
    texts = [repr(fs)]
    fs.account  # noqa: B018 - starts it
    texts += [repr(fs), repr(fs._portal), repr(fs.dial_campaigns.list())]
    texts.append(repr(fs._portal._finalizer))
    try:
        fs.account.get()
    except FreestyleError as exc:
        texts += [str(exc), repr(exc)]
    fs.close()
    texts.append(repr(fs))
    assert all(KEY not in text and KEY[3:] not in text for text in texts), texts
    assert "ft_…abab" in texts[1]


def test_settings_and_with_options_share_the_loop(emulator: EmulatorThread) -> None:
    fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url, max_retries=0)
    assert (fs.base_url, fs.max_retries) == (emulator.emu.base_url, 0)
    other = fs.with_options(api_key=emulator.emu.other_api_key, timeout=5)
    assert other.timeout == Timeout(total=5.0) and other.max_retries == 0
    mine, theirs = fs.account.get(), other.account.get()
    assert mine.id != theirs.id
    assert len(_loop_threads()) == 1
    other.close()  # a no-op on a copy, as AsyncFreestyle.aclose() is
    assert fs.account.get() == mine
    fs.close()
    with pytest.raises(FreestyleError, match="closed"):
        other.account.get()
    assert _loop_threads() == []


def test_a_dropped_freestyle_stops_its_thread(emulator: EmulatorThread) -> None:
    fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)
    fs.account.get()
    (thread,) = _loop_threads()
    del fs
    thread.join(5)  # no cycle holds it: it stops as soon as the last reference goes
    assert not thread.is_alive()


def test_one_liners_keep_the_client_alive_while_they_need_it(emulator: EmulatorThread) -> None:
    emu = emulator.emu
    # The Freestyle is dropped as soon as .account / .dial_campaigns is read: what the
    # resource and the paginator hold must keep the loop thread running.
    assert Freestyle(emu.api_key, base_url=emu.base_url).account.get().id
    ids = [c.id for c in Freestyle(emu.api_key, base_url=emu.base_url).dial_campaigns.list()]
    assert ids == emu.campaign_ids()
    paginator = Freestyle(emu.api_key, base_url=emu.base_url).dial_campaigns.list(per_page=2)
    gc.collect()
    assert [c.id for c in paginator] == emu.campaign_ids()
    (thread,) = _loop_threads()
    del paginator
    thread.join(5)
    assert _loop_threads() == []


def test_a_call_from_the_loop_thread_is_refused(fs: Freestyle) -> None:
    with pytest.raises(FreestyleError, match="own event loop thread"):
        fs._portal.run(fs.account.get)
    assert fs.account.get().id  # still usable


_UNCLOSED_AT_EXIT = textwrap.dedent(
    """
    import atexit, sys, threading
    from freestyle_async import FreestyleError
    from freestyle_async.sync import Freestyle

    outcome = []

    def report():  # registered first, so it runs after the Freestyle's exit finalizer
        worker.join(5)
        print("worker:", outcome, flush=True)

    atexit.register(report)
    fs = Freestyle(sys.argv[1], base_url=sys.argv[2])
    fs.account.get()

    def slow():
        try:
            fs.account.get()
            outcome.append("answered")
        except FreestyleError as exc:
            outcome.append(type(exc).__name__ + ": " + str(exc))

    worker = threading.Thread(target=slow, daemon=True)
    print("ready", flush=True)
    sys.stdin.readline()  # the emulator now holds requests for 30 s
    worker.start()
    sys.stdin.readline()  # the slow request has reached the server
    # leave without close(): the finalizer must stop the loop and not hang the exit
    """
)


def test_interpreter_exit_with_an_unclosed_freestyle_and_a_call_in_flight(
    emulator: EmulatorThread,
) -> None:
    emu = emulator.emu
    proc = subprocess.Popen(
        [sys.executable, "-c", _UNCLOSED_AT_EXIT, emu.api_key, emu.base_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "ready"
        emulator.set_faults(Faults(latency=30.0))
        before = emulator.requests()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert wait_until(lambda: emulator.requests() > before)
        proc.stdin.write("exit\n")
        proc.stdin.flush()
        started = time.monotonic()
        out, err = proc.communicate(timeout=15)
        elapsed = time.monotonic() - started
    finally:
        proc.kill()
        emulator.set_faults(None)
    assert proc.returncode == 0, err
    assert elapsed < 5, f"exit took {elapsed:.1f} s"
    assert "Unclosed" not in err and "Traceback" not in err, err
    assert "FreestyleError: this call was cancelled because the Freestyle client was closed" in out


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_a_clear_error(fs: Freestyle) -> None:
    fs.account.get()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what a call does, then leave at once
        try:
            fs.account.get()
            said = "no error"
        except FreestyleError as exc:
            said = str(exc)
        except BaseException as exc:  # pragma: no cover - reported to the parent
            said = repr(exc)
        os.write(write_end, said.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(pid, 0)
    assert "before os.fork()" in message
    assert fs.account.get().id  # the parent is unaffected


def test_close_from_another_thread_releases_a_call_in_flight(emulator: EmulatorThread) -> None:
    fs = Freestyle(emulator.emu.api_key, base_url=emulator.emu.base_url)
    fs.account.get()
    emulator.set_faults(Faults(latency=30.0))
    outcome: list[BaseException] = []

    def slow() -> None:
        try:
            fs.account.get()
        except BaseException as exc:  # reported to the test
            outcome.append(exc)

    before = emulator.requests()
    worker = threading.Thread(target=slow)
    worker.start()
    assert wait_until(lambda: emulator.requests() > before)
    started = time.monotonic()
    fs.close()
    worker.join(5)
    assert time.monotonic() - started < 2
    assert len(outcome) == 1 and isinstance(outcome[0], FreestyleError)
    assert "closed while it was in flight" in str(outcome[0])
    assert _loop_threads() == []


def test_an_event_hook_calling_the_client_is_refused_not_deadlocked(
    emulator: EmulatorThread,
) -> None:
    refused: list[BaseException] = []
    holder: list[Freestyle] = []

    def on_response(event: object) -> None:  # runs on the loop thread
        try:
            holder[0].billing.usage()
        except FreestyleError as exc:
            refused.append(exc)

    with Freestyle(
        emulator.emu.api_key, base_url=emulator.emu.base_url, on_response=on_response
    ) as fs:
        holder.append(fs)
        assert fs.account.get().id  # the outer call is unaffected
    assert len(refused) == 1 and "own event loop thread" in str(refused[0])
