"""The LumiQ adapter: the member registry and the completion feed over LumiQ's HTTP API (docs/lumiq-api.md)."""

from adapters.lumiq.completion_source import LumiqCompletionSource
from adapters.lumiq.connection import LumiqConnection
from adapters.lumiq.errors import (
    LumiqError,
    LumiqFeedUnavailable,
    LumiqInvalidCompletion,
    LumiqInvalidMember,
    LumiqUnavailable,
)
from adapters.lumiq.registry import LumiqMemberRegistry
from adapters.lumiq.retrying import LUMIQ_RETRY

__all__ = [
    "LUMIQ_RETRY",
    "LumiqCompletionSource",
    "LumiqConnection",
    "LumiqError",
    "LumiqFeedUnavailable",
    "LumiqInvalidCompletion",
    "LumiqInvalidMember",
    "LumiqMemberRegistry",
    "LumiqUnavailable",
]
