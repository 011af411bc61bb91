"""The sandbox in a process of its own, for the tests and benchmarks whose workers load the machine's cores.

Served from the test's own process, the sandbox shares that process's interpreter lock with the test's polling,
posting and probing; on two busy cores it then reads requests late and bunched, and refuses with a 429 what its
clients spaced correctly. In a process of its own it is scheduled like the workers it serves.

The process is a ``multiprocessing`` manager's, forked from the tests' fork server (``tests/fork_server.py``).
What the test reads or changes in it is a module-level function of the ``SandboxServer`` run there by ``apply``,
its arguments and answer pickled; so is the configuration's maker.

Scheduled like the workers is still not enough: on two cores, with three workers' threads and their databases'
runnable, the scheduler gives the sandbox's one thread a fifth of a core at times, and it reads the requests that
came meanwhile 150 ms late and together, as if the workers had sent them so. Workday's edge runs on machines of
its own; so where the tests may (as root, as CI runs them) the sandbox's process is given the cores first
(``SANDBOX_NICENESS``). Elsewhere it runs at the workers' priority, and a soak may see a rare 429 of its own
making."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from multiprocessing.managers import BaseManager
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.fork_server import FORKED

SANDBOX_NICENESS = -10
"""The sandbox's scheduling priority where it may be raised: ahead of the workers' 0."""

P = ParamSpec("P")
T = TypeVar("T")


class _Served:
    """Lives in the sandbox's process."""

    def __init__(self, configure: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        _first_on_the_cores()
        self._server = SandboxServer(configure(*args, **kwargs)).start()

    def base_url(self) -> str:
        return self._server.base_url

    def apply(self, function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return function(self._server, *args, **kwargs)

    def stop(self) -> None:
        self._server.stop()


def _first_on_the_cores() -> None:
    """Raises this thread's priority, and so that of the server's thread it starts next, where permitted."""
    with contextlib.suppress(PermissionError):
        os.nice(SANDBOX_NICENESS - os.nice(0))


class _Proxy(Protocol):
    def base_url(self) -> str: ...
    def apply(self, function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any: ...
    def stop(self) -> None: ...


class _Manager(BaseManager):
    pass


_Manager.register("Sandbox", _Served)


class SandboxProcess:
    """A ``SandboxServer`` in a process of its own, on the configuration ``configure(*args, **kwargs)`` makes
    there (a configuration holds locks and is not sent; ``config`` is this process's own copy); a context manager."""

    def __init__(self, configure: Callable[P, SandboxConfig], *args: P.args, **kwargs: P.kwargs) -> None:
        self.config = configure(*args, **kwargs)
        self._configuration = (configure, args, kwargs)
        self._manager = _Manager(ctx=FORKED)
        self._served: _Proxy | None = None
        self.base_url = ""

    def apply(self, function: Callable[Concatenate[SandboxServer, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``function(server, *args, **kwargs)`` run in the sandbox's process; its answer."""
        if self._served is None:
            raise RuntimeError("the sandbox's process is not running")
        return cast(T, self._served.apply(function, args, kwargs))

    def __enter__(self) -> SandboxProcess:
        self._manager.start()
        self._served = cast(_Proxy, self._manager.Sandbox(*self._configuration))  # type: ignore[attr-defined]
        self.base_url = self._served.base_url()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if self._served is not None:
                self._served.stop()
        finally:
            self._served = None
            self._manager.shutdown()
