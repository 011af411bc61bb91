"""The tenant's OAuth2 state: the API client for integrations, its refresh tokens and the access tokens issued."""

from __future__ import annotations

import hmac
import random
import threading
from dataclasses import dataclass

from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig


@dataclass(frozen=True, slots=True)
class Grant:
    """A token response: ``refresh_token`` is set only when the refresh token was rotated."""

    access_token: str
    expires_in: int
    refresh_token: str | None = None


class TokenIssuer:
    """Redeems refresh tokens for access tokens that expire after ``config.access_token_ttl`` seconds of the
    sandbox clock. ``grants`` counts the access tokens issued; ``issued`` lists them (with any rotated refresh token),
    revoked or not, for tests that look for them where they must not be."""

    def __init__(self, config: SandboxConfig, clock: SandboxClock, rng: random.Random) -> None:
        self._config = config
        self._clock = clock
        self._rng = rng
        self._lock = threading.Lock()
        self._refresh_tokens = {config.refresh_token}
        self._expiry_by_token: dict[str, float] = {}
        self._issued: list[Grant] = []
        self.grants = 0

    def client_is_known(self, client_id: str, client_secret: str) -> bool:
        return hmac.compare_digest(client_id, self._config.client_id) & hmac.compare_digest(
            client_secret, self._config.client_secret
        )

    def redeem(self, refresh_token: str) -> Grant | None:
        """A new access token, or None when ``refresh_token`` is unknown, revoked or rotated away."""
        with self._lock:
            if refresh_token not in self._refresh_tokens:
                return None
            ttl = self._config.access_token_ttl
            access_token = self._new_token()
            self._expiry_by_token[access_token] = self._clock.now() + ttl
            self.grants += 1
            rotated = None
            if self._config.rotate_refresh_tokens:
                rotated = self._new_token()
                self._refresh_tokens = {rotated}
            grant = Grant(access_token, ttl, rotated)
            self._issued.append(grant)
            return grant

    def accepts(self, access_token: str) -> bool:
        with self._lock:
            expiry = self._expiry_by_token.get(access_token)
            return expiry is not None and self._clock.now() < expiry

    def revoke(self, *, refresh_tokens: bool = False) -> None:
        """Invalidates every access token issued (and the refresh tokens too, if asked)."""
        with self._lock:
            self._expiry_by_token.clear()
            if refresh_tokens:
                self._refresh_tokens.clear()

    @property
    def issued(self) -> tuple[Grant, ...]:
        """Every grant so far, in order."""
        with self._lock:
            return tuple(self._issued)

    @property
    def current_refresh_token(self) -> str | None:
        with self._lock:
            return next(iter(self._refresh_tokens), None)

    def _new_token(self) -> str:
        return f"{self._rng.getrandbits(256):064x}"
