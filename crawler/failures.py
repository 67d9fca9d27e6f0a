"""Why a URL failed: one short, stable reason per kind of failure, for ``failures.jsonl`` and the manifest."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.internet.defer import CancelledError

if TYPE_CHECKING:
    from scrapy import Request
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

ROBOTS_REASON = "robots.txt disallows"


class AlreadyDone(IgnoreRequest):
    """The request's URL already has its outcome in this job (a redirect to it, a replayed request)."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect led off the crawled site; the target is never fetched."""


class RedirectLoop(IgnoreRequest):
    """A redirect led back to a URL of its own redirect chain."""


class RetryAfterTooLong(IgnoreRequest):
    """The server asked to wait longer than ``TITLECRAWL_RETRY_AFTER_MAX``."""


def http_reason(status: int) -> str:
    """``HTTP 404 Not Found``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".rstrip()


def describe_failure(failure: Failure, request: Request) -> tuple[int | None, str, str | None]:
    """(HTTP status or None, reason, final URL or None) for a failed request."""
    exc = failure.value
    retries = int(request.meta.get("retry_times", 0))
    after = f" after {retries} retries" if retries else ""
    if isinstance(exc, HttpError):
        response = exc.response
        reason = request.meta.get("tc_giveup_reason") or http_reason(response.status) + after
        return response.status, str(reason), response.url
    hops: list[str] = request.meta.get("redirect_urls") or []
    if isinstance(exc, OffsiteRedirect | RedirectLoop):
        # the last on-site URL of the chain answered with the redirect: it carries the failure
        return None, str(exc), hops[-1] if hops else None
    if isinstance(exc, RetryAfterTooLong):
        return getattr(exc, "status", None), str(exc), None
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return None, ROBOTS_REASON, request.url
        if "max redirections" in message:
            return None, "too many redirects (a redirect loop?)", request.url
        if "DOWNLOAD_MAXSIZE" in message or "max size" in message:
            return None, "response larger than the download size limit (after decompression)", request.url
        return None, f"ignored: {message}", request.url
    if isinstance(exc, DownloadCancelledError | CancelledError):
        message = str(exc)
        if "max size" in message or not message:
            return None, "response larger than the download size limit", request.url
        return None, f"download cancelled: {message}", request.url
    if isinstance(exc, DownloadTimeoutError | tx_error.TimeoutError | tx_error.TCPTimedOutError):
        timeout = request.meta.get("download_timeout")
        return None, (f"timed out after {timeout:g} s" if timeout else "timed out") + after, request.url
    if isinstance(exc, CannotResolveHostError | tx_error.DNSLookupError):
        return None, "DNS lookup failed" + after, request.url
    if isinstance(exc, DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
        return None, "connection refused" + after, request.url
    if isinstance(exc, ResponseDataLossError):
        return None, "response cut short (data loss)" + after, request.url
    if isinstance(exc, DownloadFailedError | tx_error.ConnectionLost | tx_error.ConnectionDone | tx_error.ConnectError):
        return None, connection_reason(exc) + after, request.url
    return None, f"{type(exc).__name__}: {exc}".rstrip(": ") + after, request.url


def connection_reason(exc: BaseException) -> str:
    """A short, stable reason for a connection that broke (no object reprs, no addresses)."""
    cause = exc.__cause__ or exc
    name = type(cause).__name__
    if name == "ResponseNeverReceived" or isinstance(cause, tx_error.ConnectionDone):
        return "connection closed before a response"
    if name in ("ResponseFailed", "_DataLoss") or isinstance(cause, tx_error.ConnectionLost):
        return "connection lost during the response"
    if isinstance(cause, tx_error.ConnectError):
        return "could not connect"
    return f"connection failed: {name}"
