"""The ops console in the browser, under ``/console`` of ``wlc serve`` (``routes``)."""

from app.http.console.routes import mount

__all__ = ["mount"]
