"""The console's session: a cookie signed with the server's session key (``itsdangerous``) that holds who logged in
(the admin key's id, never the key, and the name the operator gave), when the session ends, and the session's CSRF
token. Every page has a session, an anonymous one before login, so that every form, the login form too, carries a
token its POST is checked against; logging in starts a new session with a new token."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "wlc_console"
CSRF_FIELD = "csrf"


@dataclass(frozen=True, slots=True)
class Session:
    csrf: str
    expires_at: datetime
    key_id: str | None = None
    """The admin key that logged in; None before login."""
    operator: str | None = None
    """The name the operator gave at login, if any."""

    @property
    def signed_in(self) -> bool:
        return self.key_id is not None

    @property
    def who(self) -> str:
        """Who acts, as the ledger records an approval: the operator's name and the admin key's id."""
        key = f"admin key {self.key_id}"
        return f"{self.operator} ({key})" if self.operator else key

    def accepts(self, token: str | None) -> bool:
        """Whether a form's CSRF token is this session's, compared in constant time."""
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())


class Sessions:
    """Makes and reads session cookies with ``secret``; a session lasts ``lifetime`` from its making."""

    def __init__(self, secret: str, lifetime: timedelta) -> None:
        self._serializer = URLSafeSerializer(secret, salt="wlc-console-session")
        self.lifetime = lifetime

    def anonymous(self, now: datetime) -> Session:
        return Session(secrets.token_urlsafe(32), now + self.lifetime)

    def signed_in(self, now: datetime, key_id: str, operator: str | None) -> Session:
        return Session(secrets.token_urlsafe(32), now + self.lifetime, key_id, operator)

    def cookie(self, session: Session) -> str:
        return str(
            self._serializer.dumps(
                {
                    "csrf": session.csrf,
                    "exp": session.expires_at.isoformat(),
                    "key": session.key_id,
                    "who": session.operator,
                }
            )
        )

    def read(self, cookie: str | None, now: datetime) -> Session | None:
        """The session a cookie holds; None when there is none, it was not signed with this secret, or it ended."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie)
            session = Session(
                str(data["csrf"]),
                datetime.fromisoformat(str(data["exp"])),
                None if data["key"] is None else str(data["key"]),
                None if data["who"] is None else str(data["who"]),
            )
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        return session if now < session.expires_at else None
