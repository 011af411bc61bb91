"""The README's "Using it" block, run as printed against the sandbox its first line starts, so that the README
cannot drift from the product.

The fenced block under "## Using it" is read from README.md and each line is run in order, its comment stripped,
with this project's ``wlc``, in a scratch directory holding a copy of ``examples/`` (and of ``.gitignore``), as
in a terminal 200 columns wide (so that Rich's tables fold no value a check looks for) and with no ``WLC_...``
variable. Each line runs in a process of its own, forked from the tests' fork server (``tests/fork_server.py``),
which has imported ``wlc`` and what its commands import, so that thirty lines do not each pay for a new
interpreter's imports; so do the long-running ones below. The one substitution, since tests bind ephemeral ports:
each ``--port N`` is run as ``--port 0``, and in the copy of ``examples/`` the sandbox's address
``127.0.0.1:8765`` names the port the sandbox took instead. Nothing else is rewritten.

A line must exit 0, or with a code its comment names ("exit 3"). ``wlc sandbox serve``, ``wlc serve`` and ``wlc
worker`` run until their output says they are ready and the test has checked that they answer, and are then
stopped with SIGTERM, which they must take as a clean exit (0). Each line's output is checked for what the line
is there to do. Last, with the project's ``.gitignore`` in it, the scratch directory must show git nothing
untracked but what was copied in: every file the commands leave behind is ignored.
"""

from __future__ import annotations

import inspect
import itertools
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx
import openpyxl
import typer
from typer.core import TyperGroup

from app.cli import sandbox as sandbox_cli
from app.cli.main import cli
from app.errors import ExitCode
from sandbox.images.covers import IMAGES_PREFIX, images
from tests.e2e.wlc_process import Background, user_environment
from tests.fork_server import run_wlc
from tests.seed_payloads import SEED_COMPLETION_AS_PRINTED, SEED_CONTENT_AS_PRINTED

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_ADDRESS = "127.0.0.1:8765"
"""The sandbox's default address, which ``examples/content.json``'s cover_url names."""
COMMAND_SECONDS = 180


def test_every_line_of_the_readmes_using_it_block_runs_as_printed(tmp_path: Path) -> None:
    lines = [Line.parse(text) for text in using_it_block((ROOT / "README.md").read_text("utf-8"))]
    assert lines, "the README has no commands under '## Using it'"
    assert lines[0].command == ("sandbox", "serve"), "the block must start the sandbox the other lines talk to"
    for line in lines:
        assert line.command in CHECKS or line.command in LONG_RUNNING, (
            f"{line.text!r}: test_readme.py has no check for 'wlc {' '.join(line.command)}'; add one to CHECKS"
        )
    workdir = tmp_path / "clone"
    workdir.mkdir()
    shutil.copytree(ROOT / "examples", workdir / "examples")
    shutil.copy(ROOT / ".gitignore", workdir / ".gitignore")
    session = Session(workdir)
    try:
        for line in lines:
            if line.command in LONG_RUNNING:
                LONG_RUNNING[line.command](session, line)
            else:
                output = session.run(line)
                CHECKS[line.command](session, line, " ".join(output.split()))
        assert session.sandbox is not None
        code, output = session.sandbox.stop()
        assert code == ExitCode.DONE, f"wlc sandbox serve did not stop cleanly on SIGTERM:\n{output}"
    finally:
        session.kill_all()
    assert untracked(workdir) == {".gitignore", "examples/completion.json", "examples/content.json"}


def test_the_examples_are_seed_001s_payloads_but_for_its_trailing_comma_and_an_image_the_sandbox_serves() -> None:
    content = json.loads((ROOT / "examples" / "content.json").read_text("utf-8"))
    seed_content = json.loads(SEED_CONTENT_AS_PRINTED.replace("],\n}", "]\n}"))
    seed_cover = urlsplit(seed_content.pop("cover_url"))
    cover = urlsplit(content.pop("cover_url"))
    assert content == seed_content
    default_port = inspect.signature(sandbox_cli.serve).parameters["port"].default
    assert (cover.scheme, cover.netloc) == ("http", f"127.0.0.1:{default_port}")
    assert cover.path == f"{IMAGES_PREFIX}/{PurePosixPath(seed_cover.path).name}"
    assert images()[PurePosixPath(cover.path).name][1] == "image/jpeg"
    completion = json.loads((ROOT / "examples" / "completion.json").read_text("utf-8"))
    assert completion == json.loads(SEED_COMPLETION_AS_PRINTED)


def using_it_block(readme: str) -> list[str]:
    """The lines of the first fenced block under '## Using it', blank lines left out."""
    section = readme.split("\n## Using it\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```sh\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    assert block is not None, "no ```sh block under '## Using it'"
    return [text for text in block.group(1).splitlines() if text.strip()]


@dataclass(frozen=True)
class Line:
    """One line of the block: ``args`` are its words after ``wlc`` with the port substituted; ``command`` the
    subcommand they name; ``exit_codes`` those its comment allows besides 0."""

    text: str
    args: tuple[str, ...]
    command: tuple[str, ...]
    exit_codes: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Line:
        words = shlex.split(text, comments=True)
        assert words[0] == "wlc", f"{text!r}: every line of the block runs wlc"
        args = tuple("0" if before == "--port" else word for before, word in itertools.pairwise(words))
        comment = text.partition(" #")[2]
        codes = frozenset(int(code) for code in re.findall(r"\bexit (\d+)\b", comment)) | {ExitCode.DONE.value}
        return cls(text, args, command_path(args), codes)


def command_path(args: tuple[str, ...]) -> tuple[str, ...]:
    """The leading words of ``args`` that name a ``wlc`` command or group: ``("completions", "push")``."""
    command = typer.main.get_command(cli)
    path: list[str] = []
    for word in args:
        if not isinstance(command, TyperGroup) or word not in command.commands:
            break
        path.append(word)
        command = command.commands[word]
    return tuple(path)


@dataclass
class Session:
    """The scratch directory the lines run in, and what they leave for later lines."""

    workdir: Path
    env: dict[str, str] = field(default_factory=lambda: user_environment(columns=200))
    sandbox: Background | None = None
    sandbox_url: str = ""
    api_key: str = ""
    running: list[Background] = field(default_factory=list)

    def run(self, line: Line) -> str:
        """Runs ``line`` to its end; checks its exit code; returns its output (stdout and stderr)."""
        code, output = run_wlc(line.args, timeout=COMMAND_SECONDS, cwd=self.workdir, env=self.env)
        assert code in line.exit_codes, f"{line.text!r} exited {code}:\n{output}"
        return output

    def start(self, line: Line) -> Background:
        process = Background(line.args, self.workdir, self.env)
        self.running.append(process)
        return process

    def kill_all(self) -> None:
        for process in self.running:
            process.kill()


def untracked(workdir: Path) -> set[str]:
    """The files of ``workdir`` that git, told of no global ignore file, neither tracks nor ignores."""
    git = ["git", "-c", "core.excludesFile=/dev/null", "-C", str(workdir)]
    subprocess.run([*git, "init", "-q"], check=True)  # noqa: S603 - git from the PATH
    status = subprocess.run(  # noqa: S603
        [*git, "status", "--porcelain", "--untracked-files=all"], check=True, capture_output=True, text=True
    )
    return {entry[3:] for entry in status.stdout.splitlines()}


# The long-running lines


def sandbox_serve(session: Session, line: Line) -> None:
    sandbox = session.start(line)
    port = int(sandbox.wait_for(r"Workday sandbox serving on http://127\.0\.0\.1:(\d+)").group(1))
    session.sandbox, session.sandbox_url = sandbox, f"http://127.0.0.1:{port}"
    for example in (session.workdir / "examples").glob("*.json"):
        example.write_text(example.read_text("utf-8").replace(SANDBOX_ADDRESS, f"127.0.0.1:{port}"), "utf-8")
    written = line.args[line.args.index("--write-config") + 1]
    assert f'host = "{session.sandbox_url}"' in (session.workdir / written).read_text("utf-8")
    images = re.search(r"cover images: (\S+)/NAME, NAME one of (.+)\.$", sandbox.output, re.MULTILINE)
    assert images is not None, sandbox.output
    cover = httpx.get(f"{images.group(1)}/adv-sales-001.jpg")
    assert "adv-sales-001.jpg" in images.group(2)
    assert (cover.status_code, cover.headers["content-type"]) == (200, "image/jpeg")


def serve(session: Session, line: Line) -> None:
    api = session.start(line)
    # The worker must have started too: a SIGTERM that reaches 'wlc worker' before it handles signals kills it.
    url = api.wait_for(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", r"running the sessions of").group(1)
    assert httpx.get(f"{url}/readyz").json() == {"status": "ready"}
    assert session.api_key, "the block creates no API key before 'wlc serve'"
    headers = {"Authorization": f"Bearer {session.api_key}", "x-account-id": "sandbox"}
    content = httpx.get(f"{url}/unified/lms/content", headers=headers)
    assert content.status_code == 200, content.text
    assert "ADV-SALES-001" in content.text
    code, output = api.stop()
    assert code == ExitCode.DONE, f"wlc serve did not stop cleanly on SIGTERM:\n{output}"
    assert "started wlc worker" in output
    assert re.search(r"worker \S+ stopped", output), output


def worker(session: Session, line: Line) -> None:
    running = session.start(line)
    running.wait_for(r"worker \S+ running the sessions of 1 tenants")
    code, output = running.stop()
    assert code == ExitCode.DONE, f"wlc worker did not stop cleanly on SIGTERM:\n{output}"
    assert re.search(r"worker \S+ stopped", output), output


LONG_RUNNING: dict[tuple[str, ...], Callable[[Session, Line], None]] = {
    ("sandbox", "serve"): sandbox_serve,
    ("serve",): serve,
    ("worker",): worker,
}


# What each line's output must show (the output's runs of white space made single spaces: Rich wraps long lines)


def membership_plan(session: Session, line: Line, output: str) -> None:
    if "--json" in line.args:
        summary = json.loads(output)["summary"]
        assert summary["report_rows"] > 0
    else:
        assert re.search(r"Report: \d+ rows; provider: \d+ current members\. Plan: ", output), output


def membership_sync(session: Session, line: Line, output: str) -> None:
    assert re.search(r"Run \d+ (succeeded|partial|blocked)", output), output


def transcripts_plan(session: Session, line: Line, output: str) -> None:
    assert re.search(r"\d+ content and [1-9]\d* records to send", output), output


def transcripts_sent(session: Session, line: Line, output: str) -> None:
    sent = re.search(r"Run \d+ \w+: (\d+) content and (\d+) records delivered", output)
    assert sent is not None, output
    if "--since" not in line.args:  # after a sync, nothing is left to send since any date
        assert int(sent.group(2)) > 0, f"{line.text!r} sent nothing: {output}"


def transcripts_export(session: Session, line: Line, output: str) -> None:
    sheet = session.workdir / line.args[-1]
    assert f"Wrote {line.args[-1]}" in output
    assert len(openpyxl.load_workbook(sheet, read_only=True).sheetnames) == 2


def workday_check(session: Session, line: Line, output: str) -> None:
    for checked in ("OAuth", "report", "Learning", "Talent", "transcripts", "content upsert", "skills"):
        assert re.search(rf"│ {checked}\W+│ OK ", output), output
    assert "Result: OK" in output, output


def content_upsert(session: Session, line: Line, output: str) -> None:
    payload = json.loads((session.workdir / line.args[-1]).read_text("utf-8"))
    assert re.search(rf"{payload['external_reference']}\W+(created|updated)\b", output), output


def names_the_course(session: Session, line: Line, output: str) -> None:
    assert "ADV-SALES-001" in output, output


def content_show(session: Session, line: Line, output: str) -> None:
    assert "cover image adv-sales-001.jpg, image/jpeg" in output, output  # fetched from the sandbox


def categories_list(session: Session, line: Line, output: str) -> None:
    assert "TOPIC_SALES" in output, output


def skills_list(session: Session, line: Line, output: str) -> None:
    skills = json.loads(output) if "--json" in line.args else None
    assert skills is None or any(skill["name"] == "Sales Techniques" for skill in skills), output
    assert "Sales Techniques" in output


def completions_push(session: Session, line: Line, output: str) -> None:
    assert re.search(r"Completion recorded on enrollment [0-9a-f]{32} \(pass\)", output), output


def completions_list(session: Session, line: Line, output: str) -> None:
    named = line.args[line.args.index("--learner" if "--learner" in line.args else "--course") + 1]
    assert named in output, output
    assert "pass" in output, output


def completions_delete(session: Session, line: Line, output: str) -> None:
    assert f"Enrollment {line.args[-1]} of user {line.args[-2]} rescinded" in output, output


def reconcile(session: Session, line: Line, output: str) -> None:
    assert re.search(r"Compared [1-9]\d* course\(s\)", output), output


def keys_create(session: Session, line: Line, output: str) -> None:
    assert re.search(r"Key \w+ for sandbox", output), output
    key = re.search(r"\bwlc_\S+", output)
    assert key is not None, output
    session.api_key = key.group(0)


def tenants_list(session: Session, line: Line, output: str) -> None:
    assert re.search(r"│ sandbox +│ acme +│ http://127\.0\.0\.1:\d+ +│ active +│ 1 +│ file", output), output


def tenants_edit(session: Session, line: Line, output: str) -> None:
    assert "Tenant sandbox: active, version 2, from admin" in output, output


def schedules_list(session: Session, line: Line, output: str) -> None:
    assert re.search(r"│ sandbox +│ membership +│ daily at 06:00 +│", output), output
    assert re.search(r"│ sandbox +│ transcripts +│ every 60 minutes +│", output), output


def runs_list(session: Session, line: Line, output: str) -> None:
    assert {"membership", "transcripts", "reconcile"} <= set(re.findall(r"│ (\w+) +│ sandbox", output)), output


def runs_show(session: Session, line: Line, output: str) -> None:
    assert re.search(rf"│ {line.args[-1]} │ transcripts │", output), output


def status(session: Session, line: Line, output: str) -> None:
    if "--json" in line.args:
        (sandbox,) = json.loads(output)
        assert sandbox["runs"]["transcripts"]["last_success"] is not None, output
        assert sandbox["refresh_token"]["last_success"] is not None, output
    else:
        assert re.search(r"│ sandbox +│ ok \d+\w ago \(run \d+\)", output), output


def alerts_check(session: Session, line: Line, output: str) -> None:
    assert re.search(r"\d+ incidents open; 0 cleared with a notice owed\.", output), output


CHECKS: dict[tuple[str, ...], Callable[[Session, Line, str], None]] = {
    ("membership", "plan"): membership_plan,
    ("membership", "sync"): membership_sync,
    ("transcripts", "plan"): transcripts_plan,
    ("transcripts", "sync"): transcripts_sent,
    ("transcripts", "replay"): transcripts_sent,
    ("transcripts", "export"): transcripts_export,
    ("workday", "check"): workday_check,
    ("content", "upsert"): content_upsert,
    ("content", "list"): names_the_course,
    ("content", "show"): content_show,
    ("categories", "list"): categories_list,
    ("skills", "list"): skills_list,
    ("completions", "push"): completions_push,
    ("completions", "list"): completions_list,
    ("completions", "delete"): completions_delete,
    ("reconcile",): reconcile,
    ("keys", "create"): keys_create,
    ("tenants", "list"): tenants_list,
    ("tenants", "edit"): tenants_edit,
    ("schedules", "list"): schedules_list,
    ("runs", "list"): runs_list,
    ("runs", "show"): runs_show,
    ("status",): status,
    ("alerts", "check"): alerts_check,
}
