"""The LumiQ adapter's errors. A refused or undeliverable action (invite, update, remove) is never an
exception: the registry returns it as a ``Failure``. Exceptions are for the member list, which must be read
whole or not at all, for the completion feed, which must be read in whole pages and never past a completion
it could not read, and for the retry loop's own signalling.

LumiqError                        base of every error the LumiQ adapter raises
├── LumiqUnavailable              (also domain.errors.RegistryUnavailable) the member list could not be read
│   │                             to its end: retries ran out, LumiQ refused the request (401, bad cursor),
│   │                             or a page was not the documented shape
│   └── LumiqInvalidMember        a listed member breaks a domain rule (e.g. a malformed WID); names the
│                                 member id and the field
├── LumiqFeedUnavailable          (also domain.errors.SourceUnavailable) a page of the completion feed could
│   │                             not be read: retries ran out, LumiQ refused the request (401, bad cursor),
│   │                             or the page was not the documented shape
│   └── LumiqInvalidCompletion    a completion in the feed breaks a domain rule (e.g. completed_at without an
│                                 offset, a blank episode id); names the completion id and the field
├── LumiqGaveUp                   retries ran out for one request; the registry turns it into a Failure or a
│                                 LumiqUnavailable, so it never leaves the adapter
└── LumiqRetryableStatus          LumiQ answered 429 or 5xx; raised between attempts to make the retry loop
                                  try again, never leaves the adapter

No message ever holds the API key: errors are built from the method, path, status and LumiQ's error body.
"""

from __future__ import annotations

from domain.errors import RegistryUnavailable, SourceUnavailable


class LumiqError(Exception):
    """Base of every error the LumiQ adapter raises."""


class LumiqUnavailable(LumiqError, RegistryUnavailable):
    """Raised by ``LumiqMemberRegistry.members`` when the member list cannot be read to its end."""


class LumiqInvalidMember(LumiqUnavailable):
    """Raised when a member in the list breaks a domain rule. The whole listing fails rather than skipping the
    member: a plan made from a partial list would invite a duplicate or miss a removal."""

    def __init__(self, member_id: str, field: str, reason: str) -> None:
        super().__init__(f"LumiQ listed member {member_id} with an invalid {field}: {reason}")
        self.member_id = member_id
        self.field = field
        self.reason = reason


class LumiqFeedUnavailable(LumiqError, SourceUnavailable):
    """Raised by ``LumiqCompletionSource.pages`` when a page of the completion feed cannot be read."""


class LumiqInvalidCompletion(LumiqFeedUnavailable):
    """Raised when a completion in the feed breaks a domain rule. The feed stops at its page rather than
    skipping it: the cursor cannot move past one completion while keeping it, so a skipped completion would
    be lost for good. The page is not yielded, the caller keeps its cursor, and the next run reads the page
    again once LumiQ has corrected the completion (or someone has looked at why it cannot be read)."""

    def __init__(self, completion_id: str, field: str, reason: str) -> None:
        super().__init__(f"LumiQ sent completion {completion_id} with an invalid {field}: {reason}")
        self.completion_id = completion_id
        self.field = field
        self.reason = reason


class LumiqGaveUp(LumiqError):
    """Raised by the retry loop when the attempts or the total wait ran out; ``attempts`` says how many were
    made and the message names the last problem."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class LumiqRetryableStatus(LumiqError):
    """Raised by one attempt when LumiQ answered 429 or 5xx. ``retry_after`` holds the ``Retry-After``
    header in seconds, when LumiQ sent one that is a number."""

    def __init__(self, status: int, detail: str, retry_after: float | None) -> None:
        super().__init__(f"{status} {detail}")
        self.status = status
        self.retry_after = retry_after
