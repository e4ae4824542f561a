"""The middlewares every request passes: outer (request id, JSON errors, counters), then
faults (fault injection, ``/v1`` only), then auth (``X-API-Key``, ``/v1`` only)."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Final

from aiohttp import web

from ._errors import ErrorAnswer, server_error
from ._faults import DROPPED, Handler
from ._json import dumps
from ._model import Account
from ._state import EmulatorState

__all__ = [
    "ACCOUNT",
    "STATE_KEY",
    "auth",
    "error_response",
    "faults",
    "json_response",
    "new_request_id",
    "outer",
]

logger = logging.getLogger("freestyle_async.testing")

STATE_KEY: Final = web.AppKey("freestyle_emulator_state", EmulatorState)
ACCOUNT: Final = web.RequestKey("freestyle_emulator_account", Account)


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=dumps(data), status=status, content_type="application/json")


def new_request_id() -> str:
    return f"req_{uuid.uuid4().hex}"


def error_response(exc: ErrorAnswer) -> web.Response:
    """The JSON error envelope of ``exc``, with its status and headers (no request id)."""
    response = json_response(exc.body(), exc.status)
    response.headers.update(exc.headers)
    if exc.close:
        response.force_close()
    return response


def _from_http_exception(request: web.Request, exc: web.HTTPException) -> ErrorAnswer:
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    if exc.status == 404:
        return ErrorAnswer(404, "not_found", f"Unknown endpoint: {request.method} {request.path}")
    if exc.status == 405:
        message = f"Method {request.method} is not allowed on {request.path}."
        return ErrorAnswer(405, "method_not_allowed", message, headers=headers)
    if exc.status == 413:
        return ErrorAnswer(413, "payload_too_large", "Request body is too large.")
    code = "server_error" if exc.status >= 500 else "invalid_request"
    return ErrorAnswer(exc.status, code, exc.reason)


def _route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return f"{request.method} {resource.canonical if resource is not None else '<unmatched>'}"


@web.middleware
async def outer(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Request ids, JSON errors for everything, and the counters."""
    state = request.app[STATE_KEY]
    counted = not request.path.startswith("/_emulator/")
    counters = state.counters
    if counted:
        counters.requests += 1
        route = _route_name(request)
        counters.by_route[route] = counters.by_route.get(route, 0) + 1
    try:
        response: web.StreamResponse = await handler(request)
    except ErrorAnswer as exc:
        response = error_response(exc)
    except web.HTTPException as exc:
        response = error_response(_from_http_exception(request, exc))
    except ConnectionResetError:
        # The client went away before its body was read (a cancelled call): nobody hears
        # the answer, and it is not the emulator's fault.
        logger.debug("client disconnected during %s %s", request.method, request.path)
        response = error_response(
            ErrorAnswer(400, "invalid_request", "The connection closed before the body was read.")
        )
    except Exception:
        logger.exception("emulator handler failed on %s %s", request.method, request.path)
        response = error_response(server_error())
    if request.get(DROPPED):
        return response
    response.headers["X-Request-Id"] = new_request_id()
    if counted:
        counters.by_status[response.status] = counters.by_status.get(response.status, 0) + 1
    return response


@web.middleware
async def faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/v1/"):
        return await handler(request)
    return await request.app[STATE_KEY].injector(request, handler)


@web.middleware
async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith("/v1/"):
        key = request.headers.get("X-API-Key")
        account = request.app[STATE_KEY].lookup_key(key) if key else None
        if account is None:
            raise ErrorAnswer(
                401,
                "unauthorized",
                "Invalid or missing API key. Send it in the X-API-Key header "
                "(ft_ followed by 64 hex characters).",
            )
        if not account.api_enabled:
            message = "API access is disabled for this client account."
            raise ErrorAnswer(403, "api_disabled", message)
        request[ACCOUNT] = account
    return await handler(request)
