"""The LumiQ adapter: the member registry over LumiQ's HTTP API (docs/lumiq-api.md)."""

from adapters.lumiq.errors import LumiqError, LumiqInvalidMember, LumiqUnavailable
from adapters.lumiq.registry import LumiqMemberRegistry
from adapters.lumiq.retrying import RetryPolicy

__all__ = ["LumiqError", "LumiqInvalidMember", "LumiqMemberRegistry", "LumiqUnavailable", "RetryPolicy"]
