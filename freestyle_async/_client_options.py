"""``ClientOptions``: every option of a client, in one record.

``AsyncFreestyle(...)`` builds one from its keyword parameters and keeps it; ``with_options``
derives another with :meth:`ClientOptions.evolve`; ``Freestyle`` builds the same record and
hands it to the ``AsyncFreestyle`` it runs on its loop thread. The clients spell the options
out as parameters (so editors and type checkers show them), and a test checks that their
``__init__`` and ``with_options`` take exactly this record's fields, in order, with its
defaults; ``Freestyle``'s are generated from ``AsyncFreestyle``'s (``python -m
freestyle_async._codegen``).

To add an option: a field here (its default and check), the parameter of
``AsyncFreestyle.__init__`` (and of ``with_options`` unless the field is ``SHARED``), where the
client reads it, then run the generator.
"""

from __future__ import annotations

import ssl
from typing import Any, Final

import aiohttp
import attrs

from ._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Proxy,
    Timeout,
    check_api_key,
    check_base_url,
    check_proxy,
    proxy_for_url,
)
from ._extras import ExtraHeaders, ExtraQuery, Pairs, check_headers, check_query
from ._hooks import EventHook, _check_hook
from ._limits import (
    DEFAULT_RETRY_BUDGET,
    RetryBudget,
    check_max_concurrency,
    check_max_requests_per_second,
)
from ._logging import configure_from_env
from ._params import shown
from ._reprs import safe_repr
from ._retry import DEFAULT_RETRY_POLICY, RetryPolicy
from ._secrets import KeyHolder, Secret
from ._transport import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_RESPONSE_BYTES
from .errors import ValidationError

__all__ = ["SHARED", "ClientOptions", "check_max_retries"]

#: Field metadata of the options a ``with_options`` copy shares with its client (they live
#: on the one transport: the pool, the retry budget, the request limits) and cannot change.
SHARED: Final = {"shared": True}


def check_max_retries(value: int) -> int:
    """``value`` when it is a whole number >= 0 (the client's and a call's ``max_retries``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"max_retries must be a whole number >= 0, got {shown(value)}")
    return value


def _timeout(value: float | Timeout | None) -> Timeout:
    return Timeout.coerce(value)


def _at_least_one(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    # A bool or a float is refused, 1.0 too: a count is an int (and True is not 1 connection).
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{attribute.name} must be a whole number >= 1, got {shown(value)}")
    if value < 1:
        problem = "at least 1" if attribute.name == "max_connections" else "positive"
        raise ValidationError(f"{attribute.name} must be {problem}, got {shown(value)}")


def _instance_of(kind: type, accepted: str) -> Any:
    """An attrs validator: the value is ``None`` or a ``kind`` (``accepted`` names it)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise ValidationError(
                f"{attribute.name} must be {accepted} or None, got {_kind_shown(value)}"
            )

    return check


def _kind_shown(value: object) -> str:
    """``value`` in a message about its type: its type's name, and the value when it is short
    plain data (never a session's or an object's repr, which may be long or raise)."""
    if isinstance(value, str | bytes | int | float | bool):
        return f"{type(value).__name__} {shown(value)}"
    return type(value).__name__


def _retry_policy(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, RetryPolicy):
        raise ValidationError(
            f"retry_policy must be a RetryPolicy, got {_kind_shown(value)} "
            "(RetryPolicy() for the default; max_retries=0 for no retries)"
        )


def _budget(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, RetryBudget):
        raise ValidationError(
            f"retry_budget must be a RetryBudget or None, got {_kind_shown(value)}"
        )


def _hook(_: object, attribute: attrs.Attribute[Any], value: EventHook | None) -> None:
    _check_hook(attribute.name, value)


def _trust_env(instance: ClientOptions, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"trust_env must be True or False, got {shown(value)}")
    # A bad proxy in the environment is refused here, by the constructor of either client.
    proxy_for_url(instance.base_url, instance.proxy, trust_env=value)


def _trace_configs(value: object) -> tuple[aiohttp.TraceConfig, ...] | None:
    """``trace_configs`` as a tuple of ``aiohttp.TraceConfig`` (or ``None``), checked."""
    if value is None:
        return None
    if isinstance(value, aiohttp.TraceConfig):
        raise ValidationError(
            "trace_configs must be a list of aiohttp.TraceConfig, got one TraceConfig: "
            "pass [trace_config]"
        )
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ValidationError(
            f"trace_configs must be a list of aiohttp.TraceConfig or None, got {_kind_shown(value)}"
        )
    configs = tuple(value)
    for index, config in enumerate(configs):
        if not isinstance(config, aiohttp.TraceConfig):
            raise ValidationError(
                f"trace_configs[{index}] must be an aiohttp.TraceConfig, got {_kind_shown(config)}"
            )
    return configs


def _no_session(instance: ClientOptions, attribute: attrs.Attribute[Any], value: object) -> None:
    # aiohttp fixes a session's trace configs when it is made: a session passed in is not ours.
    if value and instance.session is not None:
        raise ValidationError(
            "trace_configs cannot be combined with session=: aiohttp fixes a session's "
            "trace configs when it is created, so pass them to your "
            "aiohttp.ClientSession(trace_configs=...)"
        )


def _default_headers(value: ExtraHeaders | Pairs | None) -> Pairs:
    return check_headers("default_headers", value, allow_none=False)


def _default_query(value: ExtraQuery | Pairs | None) -> Pairs:
    return check_query("default_query", value)


@attrs.frozen(kw_only=True, repr=False)
class ClientOptions(KeyHolder):
    """The options of one client, checked. ``api_key`` and ``base_url`` are the resolved ones
    (from the argument, the environment or the default; see :meth:`create`).

    It holds the key (as a :class:`Secret`, whose repr is masked), so it refuses pickling and
    copying like the client. Its repr never raises, even half-built (a converter refused a
    value): error reporters print the locals of the frame that raised.
    """

    api_key: Secret
    base_url: str
    timeout: Timeout = attrs.field(default=DEFAULT_TIMEOUT, converter=_timeout)
    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, converter=check_max_retries)
    retry_policy: RetryPolicy = attrs.field(default=DEFAULT_RETRY_POLICY, validator=_retry_policy)
    session: aiohttp.ClientSession | None = attrs.field(
        default=None,
        validator=_instance_of(aiohttp.ClientSession, "an aiohttp.ClientSession"),
        metadata=SHARED,
    )
    max_connections: int = attrs.field(
        default=DEFAULT_MAX_CONNECTIONS, validator=_at_least_one, metadata=SHARED
    )
    ssl_context: ssl.SSLContext | None = attrs.field(
        default=None, validator=_instance_of(ssl.SSLContext, "an ssl.SSLContext"), metadata=SHARED
    )
    max_response_bytes: int = attrs.field(
        default=DEFAULT_MAX_RESPONSE_BYTES, validator=_at_least_one
    )
    retry_budget: RetryBudget | None = attrs.field(
        default=DEFAULT_RETRY_BUDGET, validator=_budget, metadata=SHARED
    )
    max_requests_per_second: float | None = attrs.field(
        default=None, converter=check_max_requests_per_second, metadata=SHARED
    )
    max_concurrency: int | None = attrs.field(
        default=None, converter=check_max_concurrency, metadata=SHARED
    )
    on_request: EventHook | None = attrs.field(default=None, validator=_hook)
    on_response: EventHook | None = attrs.field(default=None, validator=_hook)
    on_retry: EventHook | None = attrs.field(default=None, validator=_hook)
    proxy: Proxy | None = attrs.field(default=None, converter=check_proxy)
    trust_env: bool = attrs.field(default=True, validator=_trust_env)
    trace_configs: tuple[aiohttp.TraceConfig, ...] | None = attrs.field(
        default=None, converter=_trace_configs, validator=_no_session, metadata=SHARED
    )
    default_headers: Pairs = attrs.field(default=None, converter=_default_headers)
    default_query: Pairs = attrs.field(default=None, converter=_default_query)

    @classmethod
    def create(cls, api_key: str | None, base_url: str | None, **options: Any) -> ClientOptions:
        """The options of a new client: the key from ``api_key`` or ``FREESTYLE_API_KEY``, the
        base URL from ``base_url``, ``FREESTYLE_BASE_URL`` or the default, each checked first;
        then the other ``options`` (the record's fields), each checked."""
        # Neither the key nor a base URL or proxy URL that may hold a password is left in this
        # frame's locals (which a traceback keeps and error reporters print) should a check
        # raise; nor in the record's __init__ (the proxy is checked before it is called).
        proxy = options.pop("proxy", None)
        try:
            secret = Secret(check_api_key(api_key))
            url = check_base_url(base_url)
            options["proxy"] = check_proxy(proxy)
        finally:
            del api_key, base_url, proxy
        configure_from_env()  # FREESTYLE_LOG, read when the first client is created
        return cls(api_key=secret, base_url=url, **options)

    @safe_repr
    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)))
        return f"ClientOptions({shown})"

    def evolve(self, **changes: Any) -> ClientOptions:
        """This record with the ``changes`` that are not ``NOT_GIVEN`` (``with_options``): a
        new ``api_key`` or ``base_url`` is resolved and checked as :meth:`create` does."""
        api_key = changes.pop("api_key", NOT_GIVEN)
        base_url = changes.pop("base_url", NOT_GIVEN)
        proxy = changes.pop("proxy", NOT_GIVEN)
        try:  # as in create: no key or password left in this frame's locals
            if not isinstance(api_key, NotGiven):
                changes["api_key"] = Secret(check_api_key(api_key))
            if not isinstance(base_url, NotGiven):
                changes["base_url"] = check_base_url(base_url)
            if not isinstance(proxy, NotGiven):
                changes["proxy"] = check_proxy(proxy)
        finally:
            del api_key, base_url, proxy
        given = {name: value for name, value in changes.items() if not isinstance(value, NotGiven)}
        return attrs.evolve(self, **given)
