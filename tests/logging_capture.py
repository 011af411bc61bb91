"""Log records as the connector writes them, captured for a test: the root logger's handlers and level put back
after."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.observability.logs import LogFormat, configure_logging


@contextmanager
def captured_logs(log_format: LogFormat, level: int = logging.DEBUG) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, old_level = list(root.handlers), root.level
    written = io.StringIO()
    configure_logging(log_format, level, logging.StreamHandler(written))
    try:
        yield written
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(old_level)
