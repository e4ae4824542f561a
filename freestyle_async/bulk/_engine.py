"""The chunked, parallel upload behind ``fs.dial_campaigns.upload_leads``.

One producer reads the input lazily, checks each record and encodes chunks of up to
``chunk_size`` valid records once each; ``concurrency`` workers send them from a queue of at
most ``concurrency`` chunks, so memory does not grow with the input. The retry decisions are
the core's (``_retry.not_processed``, ``_retry.is_retryable`` and ``_retry.next_wait``):

- not processed (the server proved it did not act): a connect failure before sending, a
  429, or a 503 carrying ``Retry-After``. Always retried, up to ``max_attempts``; a 429 or
  503 starts a shared pause: no worker sends until the wait (``Retry-After`` when given) is
  over.
- outcome unknown (the body may have been processed): a connection lost or a timeout after
  sending, 408, any other 5xx (a bare 503 included: an overloaded backend or a proxy may
  answer it after the records were stored), or a 2xx whose body cannot be read.
  ``on_unknown="retry"`` sends the chunk again (the server skips records whose ``phone1`` it
  already has, so a repeat is counted as duplicates, never stored twice) and marks it
  ``retried_after_unknown``; ``on_unknown="report"`` lists its records as unknown.
- anything else (400, 401, 403, 404, a TLS failure) fails the chunk. 401, 403 and 404 would
  fail every chunk, so they stop the upload like ``fail_fast``.

Once the upload stops (``fail_fast``, a fatal error, the input raising, a checkpoint that
cannot be written, the ``on_progress`` callback raising), no chunk is sent again: a chunk in
flight keeps the outcome of its last attempt, and chunks not yet sent are counted as failed,
"not sent". When the input, the checkpoint or the callback failed, :class:`BulkUploadError`
then carries the balanced report (its ``__cause__`` is the original error); the checkpoint
holds every chunk accepted.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping, Sized
from typing import Any, Final, Literal, NamedTuple

from .._api_limits import MAX_UPLOAD_RECORDS
from .._params import shown
from .._retry import RetryEvent, RetryPolicy, is_retryable, next_wait, not_processed
from .._retry import nap as policy_nap
from ..errors import (
    APIError,
    AuthenticationError,
    DecodeError,
    FreestyleError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from ..models import Contact, UploadSummary
from ._batch import normalize_batch, record_lines
from ._checkpoint import Checkpoint, CheckpointError, body_digest
from ._encode import encode_records
from ._ledger import Chunk, Ledger
from ._report import NOT_SENT_FAIL_FAST, BulkProgress, BulkUploadError, BulkUploadReport

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "OnUnknown",
    "ProgressCallback",
    "ProgressCallbackFailed",
    "RecordSource",
    "Sent",
    "check_options",
    "check_source",
    "is_record_iterable",
    "known_length",
    "progress_callback_failed",
    "run_upload",
]

OnUnknown = Literal["retry", "report"]
Record = Mapping[str, Any] | Contact
RecordSource = Iterable[Record] | AsyncIterable[Record]
ProgressCallback = Callable[[BulkProgress], object]


class Sent(NamedTuple):
    """What ``send`` returns for a chunk the server answered: its summary, and the answer's
    ``X-Request-Id`` (``None`` when it had none)."""

    summary: UploadSummary
    request_id: str | None


#: One attempt at one chunk: the encoded body in, the server's answer out (or an exception).
SendChunk = Callable[[bytes], Awaitable[Sent]]

DEFAULT_MAX_ATTEMPTS: Final = 8
MAX_CONCURRENCY: Final = 256  # a worker each, and as many encoded chunks queued
_FATAL: Final = (AuthenticationError, PermissionDeniedError, NotFoundError)


class _SharedPause:
    """A shared "resume at" time: while it is in the future, no worker sends (the client's
    ``RequestGate`` is another thing: it spaces and bounds the attempts of every call)."""

    def __init__(self, sleep: Callable[[float], Awaitable[None]]) -> None:
        self._sleep = sleep
        self._loop = asyncio.get_running_loop()
        self.resume_at = 0.0

    def pause_for(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, self._loop.time() + seconds)

    async def wait(self) -> None:
        while True:
            target = self.resume_at
            delay = target - self._loop.time()
            if delay <= 0:
                return
            await self._sleep(delay)
            if self.resume_at <= target:  # not pushed further while we slept
                return


Outcome = Literal["not_processed", "unknown", "refused"]


def outcome_of(exc: FreestyleError) -> Outcome:
    """What a failed attempt says about the chunk, by the core's retry rules.

    ``"not_processed"``: the server cannot have acted (a connect failure before sending, 429,
    a 503 with ``Retry-After``). ``"unknown"``: it may have (the connection broke or timed
    out after sending; 408; any other 5xx, a bare 503 included; a 2xx whose body could not be
    read). ``"refused"``: anything else.
    """
    if not_processed(exc):
        return "not_processed"
    if (
        is_retryable(exc, idempotent=True)
        or isinstance(exc, DecodeError)
        or (isinstance(exc, APIError) and 500 <= exc.status <= 599)
    ):
        return "unknown"
    return "refused"


def check_options(
    chunk_size: int,
    concurrency: int,
    on_unknown: str,
    max_attempts: int,
    *,
    fail_fast: object = False,
    on_progress: object = None,
) -> None:
    """Refuse bad upload options before anything is read or sent."""
    if not isinstance(fail_fast, bool):
        raise ValidationError(f"fail_fast must be True or False, got {shown(fail_fast)}")
    if on_progress is not None and not callable(on_progress):
        raise ValidationError(
            f"on_progress must be a function of one BulkProgress, or None; "
            f"got a {type(on_progress).__name__}"
        )
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise ValidationError(f"chunk_size must be an int, got {shown(chunk_size)}")
    if not 1 <= chunk_size <= MAX_UPLOAD_RECORDS:
        raise ValidationError(
            f"chunk_size must be 1 to {MAX_UPLOAD_RECORDS}, got {shown(chunk_size)}"
        )
    if (
        isinstance(concurrency, bool)
        or not isinstance(concurrency, int)
        or not 1 <= concurrency <= MAX_CONCURRENCY
    ):
        raise ValidationError(
            f"concurrency must be an int from 1 to {MAX_CONCURRENCY}, got {shown(concurrency)}"
        )
    if on_unknown not in ("retry", "report"):
        raise ValidationError(f"on_unknown must be 'retry' or 'report', got {shown(on_unknown)}")
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise ValidationError(f"max_attempts must be an int >= 1, got {shown(max_attempts)}")


_CALLBACK_RAISED: Final = "the on_progress callback raised"


class ProgressCallbackFailed(Exception):
    """Raised by a record source on behalf of the ``on_progress`` callback, whose ``error``
    it carries: the sync facade runs the callback on the calling thread, a moment after the
    upload called it, and tells the upload of a failure when the upload next reads. The
    upload then stops as when the callback raises (not as when the input does)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


def _stop_reason(what: str, exc: Exception) -> str:
    return f"{what}: {type(exc).__name__}: {exc}"


def progress_callback_failed(report: BulkUploadReport, exc: Exception) -> BulkUploadError:
    """The error of an upload whose ``on_progress`` raised on its last event, after the report
    was made: the sync facade runs the callback on the calling thread, a moment later."""
    return BulkUploadError(report, _stop_reason(_CALLBACK_RAISED, exc))


def is_record_iterable(records: object) -> bool:
    """Whether ``records`` is a (sync) iterable that can hold records: not text or bytes,
    whose iteration gives characters or ints, nor one record, whose iteration gives its
    field names."""
    return isinstance(records, Iterable) and not isinstance(
        records, str | bytes | bytearray | memoryview | Mapping
    )


def check_source(records: object) -> None:
    """Refuse what cannot be a source of records, before anything is read."""
    if isinstance(records, Mapping):
        raise ValidationError(
            "records must be an iterable of records, got a single "
            f"{type(records).__name__}: pass [record] to send one"
        )
    if not (is_record_iterable(records) or isinstance(records, AsyncIterable)):
        raise ValidationError(
            f"records must be an iterable of dicts or Contacts, got {type(records).__name__}"
        )


def known_length(records: object) -> int | None:
    """The number of records when the input knows it (only progress uses it)."""
    if not isinstance(records, Sized):
        return None
    try:
        return len(records)
    except Exception:  # a __len__ that fails or lies: the total stays unknown
        return None


async def run_upload(
    send: SendChunk,
    *,
    campaign_id: str,
    path: str,
    records: RecordSource,
    policy: RetryPolicy,
    chunk_size: int,
    concurrency: int,
    on_unknown: OnUnknown,
    checkpoint: str | os.PathLike[str] | None,
    on_progress: ProgressCallback | None,
    fail_fast: bool,
    max_attempts: int,
) -> BulkUploadReport:
    """Upload ``records`` with ``send`` (one request per call) and account for each one.

    The options are ``upload_leads``'s, which gives their defaults.
    """
    check_options(
        chunk_size,
        concurrency,
        on_unknown,
        max_attempts,
        fail_fast=fail_fast,
        on_progress=on_progress,
    )
    check_source(records)
    saved = None if checkpoint is None else Checkpoint.open(checkpoint, campaign_id, chunk_size)
    upload = _Upload(
        send,
        campaign_id=campaign_id,
        path=path,
        policy=policy,
        chunk_size=chunk_size,
        concurrency=concurrency,
        retry_unknown=on_unknown == "retry",
        checkpoint=saved,
        on_progress=on_progress,
        fail_fast=fail_fast,
        max_attempts=max_attempts,
        total=known_length(records),
    )
    return await upload.run(records)


class _Upload:
    """One upload: a producer, ``concurrency`` workers, the shared pause, the queue, the ledger."""

    def __init__(
        self,
        send: SendChunk,
        *,
        campaign_id: str,
        path: str,
        policy: RetryPolicy,
        chunk_size: int,
        concurrency: int,
        retry_unknown: bool,
        checkpoint: Checkpoint | None,
        on_progress: ProgressCallback | None,
        fail_fast: bool,
        max_attempts: int,
        total: int | None,
    ) -> None:
        self._send = send
        self._path = path
        self._policy = policy
        self._chunk_size = chunk_size
        self._concurrency = concurrency
        self._retry_unknown = retry_unknown
        self._checkpoint = checkpoint
        self._on_progress = on_progress
        self._fail_fast = fail_fast
        self._max_attempts = max_attempts
        self._ledger = Ledger(campaign_id, asyncio.get_running_loop().time, total)
        self._pause = _SharedPause(self._sleep)
        self._queue: asyncio.Queue[Chunk | None] = asyncio.Queue(maxsize=concurrency)
        self._stop: str | None = None
        self._stopped = asyncio.Event()  # set with _stop: ends the waits before a retry
        # Why the upload had to stop early, and the error: raised as BulkUploadError.
        self._failure: tuple[str, Exception] | None = None
        self._next_index = 0
        self._held: list[Chunk] = []

    async def run(self, records: RecordSource) -> BulkUploadReport:
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self._concurrency):
                    group.create_task(self._work())
                group.create_task(self._produce(records))
        except BaseExceptionGroup as failure:
            if len(failure.exceptions) == 1:
                raise failure.exceptions[0] from None
            raise
        self._progress(finished=True)
        report = self._ledger.report()
        if self._failure is not None:
            reason, cause = self._failure
            raise BulkUploadError(report, reason) from cause
        return report

    # -- reading -------------------------------------------------------------------------

    async def _produce(self, records: RecordSource) -> None:
        pending = _Pending()
        if isinstance(records, AsyncIterable):
            await self._read_async(records, pending)
        else:
            await self._read_sync(records, pending)
        await self._finish_input(pending)
        for _ in range(self._concurrency):
            await self._queue.put(None)  # one "no more chunks" per worker

    async def _read_sync(self, records: Iterable[Record], pending: _Pending) -> None:
        try:
            source = iter(records)
        except Exception as exc:
            self._input_failed(exc)
            return
        while self._stop is None:
            batch: list[Any] = []
            failure = None
            try:
                # extend keeps the records read before the input raised
                batch.extend(itertools.islice(source, self._chunk_size))
            except Exception as exc:
                failure = exc
            if not batch and failure is None:
                return
            if batch:
                await self._take(batch, pending)
            if failure is not None:
                self._input_failed(failure)
                return

    async def _read_async(self, records: AsyncIterable[Record], pending: _Pending) -> None:
        try:
            pull = aiter(records).__anext__
        except Exception as exc:
            self._input_failed(exc)
            return
        failure = None
        batch: list[Any] = []
        while True:
            try:
                record = await pull()
            except StopAsyncIteration:
                break
            except Exception as exc:
                failure = exc
                break
            batch.append(record)
            if len(batch) >= self._chunk_size:
                await self._take(batch, pending)
                batch = []
                if self._stop is not None:
                    break
        if batch:
            await self._take(batch, pending)
        if failure is not None:
            self._input_failed(failure)

    async def _take(self, batch: list[Any], pending: _Pending) -> None:
        """Check a batch of input records; emit a chunk each time ``chunk_size`` are valid."""
        start = self._ledger.read
        self._ledger.read += len(batch)
        sent, rejects = normalize_batch(batch)
        lines = record_lines(batch)
        if rejects:
            for offset, exc in rejects:
                self._ledger.reject(
                    start + offset, lines[offset], batch[offset], exc.field, exc.reason
                )
            kept = [offset for offset, record in enumerate(sent) if record is not None]
            pending.payloads.extend([sent[offset] for offset in kept])
            pending.positions.extend([start + offset for offset in kept])
            pending.lines.extend([lines[offset] for offset in kept])
        else:
            pending.payloads.extend(sent)
            pending.positions.extend(range(start, start + len(batch)))
            pending.lines.extend(lines)
        while len(pending.payloads) >= self._chunk_size:
            await self._emit(*pending.take(self._chunk_size))
        self._progress()
        await asyncio.sleep(0)  # let workers run between batches of a fast source

    async def _finish_input(self, pending: _Pending) -> None:
        if pending.payloads:
            payloads, positions, lines = pending.take()
            if self._stop is None:
                await self._emit(payloads, positions, lines)
            else:  # read before the upload stopped, never encoded
                chunk = Chunk(self._next_index, b"", positions, lines)
                self._next_index += 1
                self._ledger.not_sent(chunk, payloads, self._stop)
        await self._release_held(end_of_input=True)

    async def _emit(
        self, payloads: list[Any], positions: list[int], lines: list[int | None]
    ) -> None:
        chunk = Chunk(self._next_index, encode_records(payloads), positions, lines)
        self._next_index += 1
        checkpoint = self._checkpoint
        if checkpoint is not None:
            chunk.digest = body_digest(chunk.body)
            if checkpoint.check(chunk.index, chunk.digest):
                self._ledger.done_before(chunk)
                if chunk.index == checkpoint.last_done:
                    await self._release_held(end_of_input=False)
                return
            if chunk.index < checkpoint.last_done:
                # Hold it until every chunk the checkpoint marks done has been verified, so
                # a checkpoint of other input is refused before anything is sent.
                self._held.append(chunk)
                return
        await self._queue.put(chunk)

    async def _release_held(self, *, end_of_input: bool) -> None:
        checkpoint = self._checkpoint
        if (
            end_of_input
            and self._stop is None  # the whole input was read
            and checkpoint is not None
            and self._next_index <= checkpoint.last_done
        ):
            raise CheckpointError(
                f"checkpoint {checkpoint.path} does not match this input: it marks chunk "
                f"{checkpoint.last_done} as done but the input has only {self._next_index} "
                "chunk(s). Nothing was sent; use the same input or another checkpoint file"
            )
        held, self._held = self._held, []
        for chunk in held:
            await self._queue.put(chunk)

    # -- sending -------------------------------------------------------------------------

    async def _work(self) -> None:
        while True:
            chunk = await self._queue.get()
            if chunk is None:
                return
            if self._stop is not None:
                self._ledger.not_sent(chunk, chunk.records(), self._stop)
            else:
                await self._deliver(chunk)
            self._progress()

    async def _deliver(self, chunk: Chunk) -> None:
        """Send one chunk until it is accepted, fails, or its outcome is left unknown."""
        attempts = 0
        maybe_stored = False
        # The request id of each attempt's answer (None: no answer, or none in it).
        request_ids: list[str | None] = []
        last_error: FreestyleError | None = None  # of the attempt before a retry
        while True:
            await self._pause.wait()
            if self._stop is not None:  # stopped while this chunk waited: not sent (again)
                if last_error is None:
                    self._ledger.not_sent(chunk, chunk.records(), self._stop)
                else:
                    self._ledger.not_accepted(
                        chunk, last_error, attempts, tuple(request_ids), maybe_stored=maybe_stored
                    )
                return
            if attempts == 0:
                self._ledger.sent += len(chunk.positions)
            attempts += 1
            try:
                summary, request_id = await self._send(chunk.body)
            except FreestyleError as exc:
                request_ids.append(exc.request_id if isinstance(exc, APIError) else None)
                outcome = outcome_of(exc)
                maybe_stored = maybe_stored or outcome == "unknown"
                retry = (
                    attempts < self._max_attempts
                    and self._stop is None  # once stopping, nothing is sent again
                    and (
                        outcome == "not_processed" or (outcome == "unknown" and self._retry_unknown)
                    )
                )
                wait = next_wait(self._policy, attempts, exc) if retry else 0.0
                if not retry or wait > self._policy.max_retry_after:
                    self._ledger.not_accepted(
                        chunk, exc, attempts, tuple(request_ids), maybe_stored=maybe_stored
                    )
                    if isinstance(exc, _FATAL):  # every other chunk would fail the same way
                        self._halt(f"not sent: upload stopped after {exc}")
                    elif self._fail_fast:
                        self._halt(NOT_SENT_FAIL_FAST)
                    return
                self._announce_retry(exc, attempts + 1, wait)  # may stop the upload
                if self._stop is not None:
                    pass  # not sent again: the check at the top of the loop records it
                elif isinstance(exc, APIError) and outcome == "not_processed":
                    # The server asked to slow down (429, 503 with Retry-After): every
                    # worker pauses.
                    self._pause.pause_for(wait)
                else:
                    await self._sleep(wait)
                last_error = exc
                continue
            request_ids.append(request_id)
            self._ledger.accepted(chunk, summary, attempts, maybe_stored, tuple(request_ids))
            if self._checkpoint is not None:
                try:
                    self._checkpoint.mark_done(chunk.index, chunk.digest)
                except OSError as exc:  # disk full, folder removed: stop, keep the account
                    self._fail(f"the checkpoint {self._checkpoint.path} cannot be written", exc)
            return

    def _announce_retry(self, exc: FreestyleError, attempt: int, wait: float) -> None:
        self._progress(retry=RetryEvent("POST", self._path, attempt, wait, exc))

    def _halt(self, reason: str) -> None:
        if self._stop is None:
            self._stop = reason
            self._stopped.set()

    async def _sleep(self, seconds: float) -> None:
        """The retry policy's sleep, cut short when the upload stops: a chunk waiting out a
        Retry-After of a minute is settled at once after another chunk's 401."""
        if self._stop is not None:
            return
        nap = asyncio.ensure_future(policy_nap(self._policy.sleep, seconds))
        stop = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait((nap, stop), return_when=asyncio.FIRST_COMPLETED)
        finally:
            nap.cancel()
            stop.cancel()
        if nap.done() and not nap.cancelled():
            nap.result()  # the sleep's own error, if it raised one

    def _input_failed(self, exc: Exception) -> None:
        if isinstance(exc, ProgressCallbackFailed):
            self._callback_failed(exc.error)
        else:
            self._fail(f"the input failed after {self._ledger.read} record(s) were read", exc)

    def _callback_failed(self, exc: Exception) -> None:
        self._on_progress = None  # not called again
        self._fail(_CALLBACK_RAISED, exc)

    def _fail(self, reason: str, exc: Exception) -> None:
        """Stop the upload; once it has settled, raise BulkUploadError from ``exc``."""
        reason = _stop_reason(reason, exc)
        if self._failure is None:
            self._failure = (reason, exc)
        self._halt(f"not sent: {reason}")

    def _progress(self, *, retry: RetryEvent | None = None, finished: bool = False) -> None:
        callback = self._on_progress
        if callback is None:
            return
        try:
            callback(self._ledger.progress(retry=retry, finished=finished))
        except Exception as exc:  # stop as when the input fails: settle, then report
            self._callback_failed(exc)


class _Pending:
    """Valid records read but not yet encoded into a chunk."""

    __slots__ = ("lines", "payloads", "positions")

    def __init__(self) -> None:
        self.payloads: list[Any] = []
        self.positions: list[int] = []
        self.lines: list[int | None] = []

    def take(self, size: int | None = None) -> tuple[list[Any], list[int], list[int | None]]:
        """The first ``size`` pending records (all when ``None``), removed from the pending."""
        if size is None or size >= len(self.payloads):
            parts = (self.payloads, self.positions, self.lines)
            self.payloads, self.positions, self.lines = [], [], []
            return parts
        parts = (self.payloads[:size], self.positions[:size], self.lines[:size])
        del self.payloads[:size], self.positions[:size], self.lines[:size]
        return parts
