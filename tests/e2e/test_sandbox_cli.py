"""``wlc sandbox serve`` as a user runs it: on a free port with ``--port 0``, printing settings that paste as they
are at any terminal width, saying where its cover images are, and stopping cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import socket
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from tests.e2e.wlc_process import Background, user_environment
from tests.fork_server import start_wlc

SMALL = ("--workers", "20", "--completions", "0")
SERVING = r"Workday sandbox serving on (http://127\.0\.0\.1:(\d+))"


@pytest.fixture
def narrow_terminal() -> dict[str, str]:
    """The environment of a terminal 40 columns wide, where Rich would wrap every long line."""
    return user_environment(columns=40)


@pytest.fixture
def running() -> Iterator[list[Background]]:
    """The sandboxes a test starts, killed at its end if it left them running."""
    started: list[Background] = []
    yield started
    for process in started:
        process.kill()


def test_prints_settings_that_paste_as_they_are_into_wlc_toml_at_any_terminal_width(
    tmp_path: Path, narrow_terminal: dict[str, str], running: list[Background]
) -> None:
    sandbox = Background(["sandbox", "serve", "--port", "0", *SMALL], tmp_path, narrow_terminal)
    running.append(sandbox)
    url = sandbox.wait_for(SERVING).group(1)
    printed = sandbox.output.split("(save as wlc.toml, or use --write-config):\n", 1)[1]
    pasted = printed.split("\nThe provider's cover images:", 1)[0]
    settings = tomllib.loads(pasted)["tenants"]["sandbox"]
    assert settings["host"] == url
    assert settings["raas"]["url"] == f"{url}/ccx/service/customreport2/acme/lmsintegration/LumiQ_Workers"
    (tmp_path / "wlc.toml").write_text(pasted, "utf-8")
    printed_plan, errors = tmp_path / "plan.json", tmp_path / "plan.err"
    plan = start_wlc(
        ["membership", "plan", "--json"], output=errors, stdout=printed_plan, cwd=tmp_path, env=narrow_terminal
    )
    assert plan.wait(timeout=120) == ExitCode.DONE, errors.read_text("utf-8")
    assert json.loads(printed_plan.read_text("utf-8"))["summary"]["report_rows"] == 20
    code, _ = sandbox.stop(signal.SIGTERM)
    assert code == ExitCode.DONE


def test_port_0_takes_a_free_port_which_the_written_settings_and_the_image_line_name(
    tmp_path: Path, narrow_terminal: dict[str, str], running: list[Background]
) -> None:
    sandbox = Background(
        ["sandbox", "serve", "--port", "0", *SMALL, "--write-config", "wlc.toml"], tmp_path, narrow_terminal
    )
    running.append(sandbox)
    url, port = sandbox.wait_for(SERVING).groups()
    assert int(port) != 0
    assert tomllib.loads((tmp_path / "wlc.toml").read_text("utf-8"))["tenants"]["sandbox"]["host"] == url
    images = re.search(r"^The provider's cover images: (\S+)/NAME, NAME one of (.+)\.$", sandbox.output, re.MULTILINE)
    assert images is not None, sandbox.output
    assert images.group(1) == f"{url}/images"
    for name in images.group(2).split(", "):
        answer = httpx.get(f"{images.group(1)}/{name}")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("image/")
    code, _ = sandbox.stop(signal.SIGINT)
    assert code == ExitCode.DONE


def test_a_port_in_use_is_refused_naming_it_and_the_way_out() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", str(port), *SMALL])
    assert result.exit_code == ExitCode.USAGE
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port 0 takes a free port" in result.output
