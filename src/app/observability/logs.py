"""Log records through structlog: one record per event, written as one JSON object a line (for machines) or as
a readable line (for people). The standard library's loggers (the connector's own, uvicorn's, httpx's) are routed
through the same processors, so every line has ``timestamp``, ``level``, ``tenant``, ``run_id`` and ``request_id``
(null where there is none). The three are context variables: bound at a run's start (``runs``), at an HTTP
request's start (``app.http.request_context``) and for each delivery of the outbox."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import Token
from typing import Any, Literal, TextIO

import structlog
from structlog.typing import EventDict, Processor

LogFormat = Literal["json", "console"]
CONTEXT_FIELDS = ("tenant", "run_id", "request_id")
"""Fields every record carries, null when unknown."""

_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING}
"""Loggers whose INFO lines would repeat, one a request, what the metrics and traces already hold."""


def _every_context_field(_: Any, __: str, event: EventDict) -> EventDict:
    for name in CONTEXT_FIELDS:
        event.setdefault(name, None)
    event.pop("color_message", None)  # uvicorn's copy of its message with terminal colours
    return event


class _CurrentStderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at each record, not the one there was when logging was set up: a
    test runner (or a daemon) replaces it."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def processors() -> list[Processor]:
    """What every record goes through before it is written, whichever logger made it."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
        _every_context_field,
    ]


def renderer(log_format: LogFormat) -> Processor:
    if log_format == "json":
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(
        colors=False, sort_keys=False, exception_formatter=structlog.dev.plain_traceback
    )


def configure_logging(
    log_format: LogFormat = "console", level: str | int = logging.INFO, handler: logging.Handler | None = None
) -> None:
    """Routes every logger to ``handler`` (standard error by default) in ``log_format``, from ``level`` up.
    Called again, it replaces what an earlier call set."""
    shared = processors()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # The console renderer formats a traceback itself; JSON wants it as a field.
            *([structlog.processors.format_exc_info] if log_format == "json" else []),
            renderer(log_format),
        ],
    )
    chosen = handler or _CurrentStderr()
    chosen.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_wlc", False)]:
        root.removeHandler(old)
    chosen._wlc = True  # type: ignore[attr-defined]
    root.addHandler(chosen)
    root.setLevel(level)
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """``fields`` on every record logged within, in this thread and the tasks it starts."""
    with structlog.contextvars.bound_contextvars(**fields):
        yield


def bind(**fields: object) -> Mapping[str, Token[Any]]:
    """Binds ``fields`` until ``reset`` is given what this returns."""
    return structlog.contextvars.bind_contextvars(**fields)


def reset(tokens: Mapping[str, Token[Any]]) -> None:
    """The fields ``bind`` changed, as they were before."""
    structlog.contextvars.reset_contextvars(**tokens)


def context_fields() -> MutableMapping[str, Any]:
    """The fields bound now (for tests and for spans)."""
    return structlog.contextvars.get_contextvars()
