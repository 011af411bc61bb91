"""Running the sandbox: ``SandboxServer`` in a background thread on a loopback port, or ``serve_forever``."""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from sandbox.app import build_app
from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.faults.rate_limit import ARRIVED, SandboxThrottle
from sandbox.lumiq.completion_store import CompletionStore
from sandbox.lumiq.member_store import MemberStore
from sandbox.request_counts import RequestCounts
from sandbox.state import SandboxState
from sandbox.workday.learning.courses import CourseStore
from sandbox.workday.learning.enrollments import EnrollmentStore
from sandbox.workday.learning.store import LearningStore
from sandbox.workday.oauth.tokens import TokenIssuer
from sandbox.workday.raas.endpoint import TransferCut
from sandbox.workday.rest.learning import REST_PREFIX

_START_TIMEOUT_SECONDS = 10.0
_SHUTDOWN_TIMEOUT_SECONDS = 5.0
_BACKLOG = 2048  # uvicorn's own default


class SandboxServer:
    """The sandbox on ``127.0.0.1`` and an ephemeral port, in a daemon thread; a context manager.

    ``state`` holds what tests inspect: ``tokens`` (grants, revocation), ``lumiq`` (the members), ``completions``
    (the provider's completions feed), ``workday_learning`` (the imported contents and records Workday holds, with
    put counts), ``learning`` (the courses, topics, skills and languages of the unified LMS operations),
    ``enrollments`` (the enrollments in those courses, with ``launch``), ``soap_limiter`` (the SOAP requests
    accepted, per second), ``counts`` (requests served), ``clock`` (moved with ``advance``) and ``faults`` (changed
    while it runs)."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.state = SandboxState.create(self.config)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def faults(self) -> Faults:
        return self.config.faults

    @property
    def tokens(self) -> TokenIssuer:
        return self.state.tokens

    @property
    def lumiq(self) -> MemberStore:
        return self.state.lumiq

    @property
    def completions(self) -> CompletionStore:
        return self.state.completions

    @property
    def workday_learning(self) -> LearningStore:
        """The tenant's Learning data: ``contents()``, ``records()``, ``content(id)``, ``record(id)`` and
        ``put_counts(kind)``."""
        return self.state.learning.tenant(self.config.tenant)

    @property
    def learning(self) -> CourseStore:
        """The tenant's learning catalog: ``courses()``, ``course(course_id)``, ``course_by_wid(wid)``,
        ``manage_calls``, ``manage_counts()``, the seeded ``topics``, ``skills``, ``languages`` and
        ``media_file_wid``."""
        return self.state.courses.tenant(self.config.tenant)

    @property
    def enrollments(self) -> EnrollmentStore:
        """The tenant's enrollments: ``enrollments()``, ``enrollment(id)``, ``enrollments_of(employee_id,
        course)``, and ``launch(employee_id, course_reference)`` (a learner starting the course from Workday's
        UI)."""
        return self.state.enrollments.tenant(self.config.tenant)

    @property
    def soap_limiter(self) -> SandboxThrottle:
        return self.state.soap_limiter

    @property
    def counts(self) -> RequestCounts:
        return self.state.counts

    @property
    def clock(self) -> SandboxClock:
        return self.state.clock

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox is not running")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/ccx/oauth2/{self.config.tenant}/token"

    def raas_url(self, fmt: str | None = None) -> str:
        """The report's URL; ``fmt`` is a ``format`` value (``json``, ``simplexml``, ``csv``) or ``xsds``."""
        c = self.config
        url = f"{self.base_url}/ccx/service/customreport2/{c.tenant}/{c.report_owner}/{c.report_name}"
        if fmt is None:
            return url
        return f"{url}?xsds" if fmt == "xsds" else f"{url}?format={fmt}"

    def talent_url(self, version: str = "v44.2") -> str:
        """The tenant's Talent web service endpoint (``Get_Skills``)."""
        return f"{self.base_url}/ccx/service/{self.config.tenant}/Talent/{version}"

    def learning_url(self, version: str = "v44.2") -> str:
        """The Learning web service's endpoint; its WSDL is at this URL plus ``?wsdl``."""
        return f"{self.base_url}/ccx/service/{self.config.tenant}/Learning/{version}"

    @property
    def learning_rest_url(self) -> str:
        """The Learning REST API's base: ``/content`` and ``/content/{id}/lessons`` follow it."""
        return f"{self.base_url}{REST_PREFIX}/{self.config.tenant}"

    def image_url(self, name: str) -> str:
        """A cover image of the provider's CDN (``sandbox.images.covers``), e.g. ``adv-sales-001.jpg``."""
        return f"{self.base_url}/images/{name}"

    @property
    def lumiq_url(self) -> str:
        return f"{self.base_url}/lumiq"

    def revoke_tokens(self) -> None:
        """Invalidates every access token issued, so a client holding one sees a 401."""
        self.state.tokens.revoke()

    def start(self) -> SandboxServer:
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running")
        _quiet_deliberate_cuts()
        sock = listening_socket("127.0.0.1", 0)
        self._port = sock.getsockname()[1]
        server = uvicorn.Server(_uvicorn_config(self.state, "127.0.0.1", self._port))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="wlc-sandbox", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.002)
        return self

    def stop(self, *, wait: bool = True) -> None:
        """Asks the server to exit and, if ``wait``, waits until it has (uvicorn takes a tenth of a second
        or two); a test fixture need not wait."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None and wait:
            self._thread.join(_SHUTDOWN_TIMEOUT_SECONDS)
        self._server = self._thread = None
        self._port = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host`` and ``port`` (0: a free port, which ``getsockname()`` then tells) and
    listening, so a client that connects before the server runs waits in the backlog rather than being refused.
    Raises ``OSError`` when the port is taken."""
    # IPPROTO_TCP named, or asyncio does not know the socket is TCP and leaves Nagle's algorithm on: every
    # answer would then wait ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def serve_forever(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    sock: socket.socket | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serves the sandbox in this thread until Ctrl-C or SIGTERM, then returns; prints nothing itself. It
    serves on ``sock`` (from ``listening_socket``) when given, else on ``host`` and ``port``. ``ready`` is called
    once the sandbox's state is built, just before it serves (a client of a listening ``sock`` may connect from
    then on); a signal that arrives while ``ready`` runs stops the sandbox as cleanly."""
    _quiet_deliberate_cuts()
    stop = _StopOnSignal()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    server = uvicorn.Server(_uvicorn_config(SandboxState.create(config or SandboxConfig()), host, port))
    stop.server = server
    if ready is not None:
        ready()
    if not stop.requested:
        server.run(sockets=None if sock is None else [sock])


class _StopOnSignal:
    """The handler of SIGINT and SIGTERM around uvicorn's: a signal before the server runs keeps it from starting,
    one while it runs asks it to exit. (uvicorn installs its own handlers while it runs, then restores these and
    raises the signal it took again: the default SIGTERM would then kill the process, SIGINT raise
    KeyboardInterrupt.)"""

    def __init__(self) -> None:
        self.requested = False
        self.server: uvicorn.Server | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self.server is not None:
            self.server.should_exit = True


class _DatedArrivals(HttpToolsProtocol):
    """uvicorn's HTTP protocol, dating each request as its first bytes are parsed: Workday's throttle counts
    requests as they reach its edge, and a handler's turn on this process's event loop can come hundreds of
    milliseconds later on a loaded machine, bunching requests that arrived evenly."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["state"][ARRIVED] = time.monotonic()


def _uvicorn_config(state: SandboxState, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        build_app(state),
        host=host,
        port=port,
        http=_DatedArrivals,
        loop="auto",  # uvloop where it is installed
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
    )


class _DropDeliberateCuts(logging.Filter):
    """The truncation fault cuts a connection by raising ``TransferCut``; that is not an error to log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and _is_cut(record.exc_info[1]))


def _is_cut(error: BaseException | None) -> bool:
    if isinstance(error, TransferCut):
        return True
    if isinstance(error, BaseExceptionGroup):
        return any(_is_cut(inner) for inner in error.exceptions)
    return error is not None and (_is_cut(error.__cause__) or _is_cut(error.__context__))


_cut_filter = _DropDeliberateCuts()


def _quiet_deliberate_cuts() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _cut_filter not in logger.filters:
        logger.addFilter(_cut_filter)
