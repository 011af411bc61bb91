"""The ledger keeps a tenant's latest refresh token for every process on it, and their refreshes take turns;
on SQLite and, where it answers, PostgreSQL."""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, insert, select

from adapters.storage import create_engine_for, refresh_tokens
from adapters.storage.errors import LedgerStorageError
from adapters.storage.refresh_tokens import SqlRefreshTokenKeeper, reseal_tokens, seal_plain_tokens
from adapters.storage.schema import oauth_refresh_tokens
from app.errors import ConfigurationError
from app.tenants.secrets import SecretBox, new_key
from tests.contract.storage_fixtures import (
    postgres_engine_in_own_schema,
    postgres_url_in_own_schema,
    postgres_url_or_skip,
    sqlite_engine,
)

CONFIGURED = SecretStr("configured-refresh-token")
KEY = new_key()
BOX = SecretBox(lambda: ([KEY], "WLC_SECRET_KEYS (setting secret_keys)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        with sqlite_engine(tmp_path) as made:
            yield made
    else:
        with postgres_engine_in_own_schema(postgres_url_or_skip()) as made:
            yield made


def another_process(engine: Engine, tenant: str = "acme", configured: SecretStr = CONFIGURED) -> SqlRefreshTokenKeeper:
    """A keeper on its own engine (its own connections) over the same database, as another process has."""
    return SqlRefreshTokenKeeper(
        create_engine_for(engine.url.render_as_string(hide_password=False)), tenant, configured, BOX
    )


def test_a_kept_token_is_the_latest_for_every_process_on_the_ledger(engine: Engine) -> None:
    keeper = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX)
    assert keeper.latest() is None

    keeper.keep(SecretStr("rotated-1"))
    keeper.keep(SecretStr("rotated-2"))

    latest = another_process(engine).latest()
    assert latest is not None
    assert latest.get_secret_value() == "rotated-2"
    assert another_process(engine, tenant="globex").latest() is None


def test_a_newly_configured_token_supersedes_the_one_kept(engine: Engine) -> None:
    SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX).keep(SecretStr("rotated-from-the-old-one"))

    reconfigured = another_process(engine, configured=SecretStr("a-token-the-operator-generated-anew"))

    assert reconfigured.latest() is None
    reconfigured.keep(SecretStr("rotated-from-the-new-one"))
    latest = another_process(engine, configured=SecretStr("a-token-the-operator-generated-anew")).latest()
    assert latest is not None
    assert latest.get_secret_value() == "rotated-from-the-new-one"


def test_a_refresh_waits_for_another_processs_and_starts_from_what_it_kept(engine: Engine) -> None:
    first, second = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX), another_process(engine)
    seen: list[str | None] = []
    asking = threading.Event()

    def refresh_meanwhile() -> None:
        asking.set()
        with second.exclusive():
            latest = second.latest()
            seen.append(None if latest is None else latest.get_secret_value())

    with first.exclusive():
        meanwhile = threading.Thread(target=refresh_meanwhile)
        meanwhile.start()
        asking.wait()
        first.keep(SecretStr("rotated-by-the-first"))
    meanwhile.join()

    assert seen == ["rotated-by-the-first"]


def test_on_postgresql_a_refresh_reads_and_keeps_the_token_on_the_one_connection_holding_the_lock() -> None:
    # With a pool of one connection, a refresh that asked for a second while holding the lock would wait for
    # the pool's timeout and fail; as many refreshes at once as the pool has connections did so in a worker.
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
        engine = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=1)
        try:
            keeper = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX)
            with keeper.exclusive():
                assert keeper.latest() is None
                keeper.keep(SecretStr("rotated-under-the-lock"))
                latest = keeper.latest()
            assert latest is not None
            assert latest.get_secret_value() == "rotated-under-the-lock"
            kept = keeper.latest()
            assert kept is not None
            assert kept.get_secret_value() == "rotated-under-the-lock"
        finally:
            engine.dispose()


def test_on_sqlite_a_refresh_holds_the_lock_file_and_a_kept_token_leaves_the_ledger_to_its_owner(
    tmp_path: Path,
) -> None:
    with sqlite_engine(tmp_path) as engine:
        keeper = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX)
        database = Path(str(engine.url.database))
        with keeper.exclusive():
            other = os.open(f"{database}.oauth-lock", os.O_RDONLY)
            try:
                with pytest.raises(BlockingIOError):  # another process's refresh would wait here
                    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            finally:
                os.close(other)

        keeper.keep(SecretStr("rotated-1"))

        assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_on_sqlite_a_refresh_gives_up_on_a_lock_held_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refresh_tokens, "LOCK_WAIT_SECONDS", 0)  # do not wait: fail at once while it is held
    with sqlite_engine(tmp_path) as engine:
        keeper = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX)
        stuck = os.open(f"{engine.url.database}.oauth-lock", os.O_RDONLY | os.O_CREAT, 0o600)
        fcntl.flock(stuck, fcntl.LOCK_EX)  # another process's refresh that does not end
        try:
            with pytest.raises(LedgerStorageError, match="another process has held it for 0 s"), keeper.exclusive():
                pass
        finally:
            os.close(stuck)
        with keeper.exclusive():  # free again
            pass


def test_a_kept_token_is_sealed_in_the_ledger(engine: Engine) -> None:
    SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX).keep(SecretStr("rotated-in-the-clear-nowhere"))

    with engine.begin() as connection:
        stored = connection.execute(select(oauth_refresh_tokens.c.token, oauth_refresh_tokens.c.sealed)).one()

    assert stored.sealed is True
    assert "rotated-in-the-clear-nowhere" not in stored.token
    assert BOX.open(stored.token, "the token") == "rotated-in-the-clear-nowhere"


def test_a_token_an_earlier_version_kept_in_the_clear_is_read_then_sealed_at_the_next_start(engine: Engine) -> None:
    keeper = SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX)  # creates the table
    with engine.begin() as connection:
        connection.execute(
            insert(oauth_refresh_tokens).values(
                tenant="acme",
                configured_digest=hashlib.sha256(CONFIGURED.get_secret_value().encode()).hexdigest(),
                token="kept-in-the-clear",
                updated_at=datetime.now(UTC),
            )
        )
    assert keeper.latest() == SecretStr("kept-in-the-clear")

    assert seal_plain_tokens(engine, BOX) == 1
    assert seal_plain_tokens(engine, BOX) == 0

    with engine.begin() as connection:
        stored = connection.execute(select(oauth_refresh_tokens.c.token)).scalar_one()
    assert "kept-in-the-clear" not in stored
    assert keeper.latest() == SecretStr("kept-in-the-clear")


def test_a_rotation_reseals_every_kept_token_with_the_first_key_and_the_old_key_no_longer_opens_it(
    engine: Engine,
) -> None:
    SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX).keep(SecretStr("rotated-1"))
    newer = new_key()
    both = SecretBox(lambda: ([newer, KEY], "WLC_SECRET_KEYS (setting secret_keys)"))

    assert reseal_tokens(engine, both.reseal) == 1

    only_newer = SecretBox(lambda: ([newer], "WLC_SECRET_KEYS (setting secret_keys)"))
    assert SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, only_newer).latest() == SecretStr("rotated-1")
    with pytest.raises(ConfigurationError, match="tenant acme's rotated refresh token cannot be decrypted"):
        SqlRefreshTokenKeeper(engine, "acme", CONFIGURED, BOX).latest()
