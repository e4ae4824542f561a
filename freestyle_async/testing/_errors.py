"""The API's error answer: ``{"error": {"code": ..., "message": ...}}`` with its status."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ErrorAnswer", "bad_parameter", "not_found", "server_error"]


class ErrorAnswer(Exception):
    """Raised by a handler or middleware; the outer middleware turns it into the JSON error.

    It is the answer the emulator sends; the SDK's ``APIError`` is what a client raises on
    reading one."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        close: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.close = close  # answer, then close the connection (the request was not read whole)

    def body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


def bad_parameter(message: str) -> ErrorAnswer:
    return ErrorAnswer(400, "invalid_parameter", message)


def not_found(what: str = "Campaign") -> ErrorAnswer:
    return ErrorAnswer(404, "not_found", f"{what} not found or does not belong to your account.")


def server_error(status: int = 500, *, close: bool = False) -> ErrorAnswer:
    return ErrorAnswer(status, "server_error", "An unexpected error occurred.", close=close)
