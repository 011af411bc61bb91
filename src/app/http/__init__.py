"""The HTTP API (``wlc serve``): the unified LMS endpoints StackOne calls, sync runs, health; keyed per account."""

from app.http.app import create_app
from app.http.services import ApiDependencies, ServedTenants, TenantServices

__all__ = ["ApiDependencies", "ServedTenants", "TenantServices", "create_app"]
