"""The adapters made on one engine check the ledger's tables once between them, not once each: a worker makes
each tenant's adapters anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import event, inspect

from adapters.storage.refresh_tokens import SqlRefreshTokenKeeper
from adapters.storage.token_health import SqlTokenHealthRecord
from app.tenants.secrets import SecretBox, new_key
from tests.contract.storage_fixtures import sqlite_engine

KEY = new_key()
BOX = SecretBox(lambda: ([KEY], "WLC_SECRET_KEYS (setting secret_keys)"))


def test_the_first_adapter_on_an_engine_makes_the_tables_and_the_next_ones_send_no_statement(tmp_path: Path) -> None:
    with sqlite_engine(tmp_path) as engine:
        SqlTokenHealthRecord(engine)
        assert "oauth_refresh_tokens" in inspect(engine).get_table_names()
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        for tenant in ("acme", "globex", "initech"):
            SqlRefreshTokenKeeper(engine, tenant, SecretStr("configured"), BOX)
        SqlTokenHealthRecord(engine)

        assert statements == []
