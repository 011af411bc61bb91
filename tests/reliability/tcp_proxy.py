"""A fault-injecting TCP proxy on loopback, put between worker processes and PostgreSQL by the reliability tests.

It forwards until told otherwise; then it can drop every live connection (reset, as a broken network path
would), refuse new ones (accepted and reset at once), or black-hole traffic: connections are accepted and held,
and nothing is forwarded either way until it heals, as a network partition holds TCP segments that are delivered
once it ends. What it refused is counted, so a test waits for the workers to have met the fault instead of for a
time."""

from __future__ import annotations

import contextlib
import enum
import socket
import struct
import threading
from types import TracebackType

from sqlalchemy import make_url


class Mode(enum.Enum):
    FORWARD = "forward"
    REFUSE = "refuse"
    BLACK_HOLE = "black-hole"


def _reset(sock: socket.socket) -> None:
    """Closes with a reset (RST) rather than an orderly end, so the peer sees the connection broken. Shut down
    first: a close alone leaves the connection open while the other pump's thread is blocked reading it, and the
    peer then waits on it for ever."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._mode = Mode.FORWARD
        self._changed = threading.Condition()
        self._live: set[socket.socket] = set()
        self._upstream_ports: set[int] = set()
        self._sending = 0
        """Chunks being forwarded now: ``black_hole`` waits for them, so that nothing more arrives after it."""
        self._closed = False
        self.refused = 0
        """Connections refused so far."""
        self.held = 0
        """Connections accepted while black-holed so far."""
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    @classmethod
    def for_url(cls, url: str) -> TcpProxy:
        parsed = make_url(url)
        return cls(parsed.host or "127.0.0.1", parsed.port or 5432)

    def url_through(self, url: str) -> str:
        """``url`` with its server replaced by this proxy."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        with self._changed:
            self._closed = True
            self._mode = Mode.FORWARD
            self._changed.notify_all()
        self._listener.close()
        self.drop()

    def drop(self) -> int:
        """Resets every live connection; how many there were."""
        with self._changed:
            live, self._live = self._live, set()
        for sock in live:
            _reset(sock)
        return len(live) // 2

    def refuse(self) -> None:
        self._set(Mode.REFUSE)

    def black_hole(self) -> None:
        """Returns once nothing more is forwarded: the chunks being sent when it was called have arrived."""
        with self._changed:
            self._mode = Mode.BLACK_HOLE
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._sending == 0)

    def client_ports(self) -> set[int]:
        """The local ports of the proxy's live connections to the server: the clients' ports as the server sees
        them (PostgreSQL's ``pg_stat_activity.client_port``)."""
        with self._changed:
            return set(self._upstream_ports)

    def heal(self) -> None:
        self._set(Mode.FORWARD)

    def _set(self, mode: Mode) -> None:
        with self._changed:
            self._mode = mode
            self._changed.notify_all()

    def _flowing(self) -> bool:
        """Waits while black-holed; whether the proxy still runs."""
        with self._changed:
            self._changed.wait_for(lambda: self._mode is not Mode.BLACK_HOLE or self._closed)
            return not self._closed

    def _forward(self, chunk: bytes, target: socket.socket) -> bool:
        """Sends ``chunk`` on once the proxy flows; False when the proxy was closed instead."""
        with self._changed:
            self._changed.wait_for(lambda: self._mode is not Mode.BLACK_HOLE or self._closed)
            if self._closed:
                return False
            self._sending += 1
        try:
            target.sendall(chunk)
        finally:
            with self._changed:
                self._sending -= 1
                self._changed.notify_all()
        return True

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._changed:
                mode = self._mode
                if mode is Mode.REFUSE:
                    self.refused += 1
                elif mode is Mode.BLACK_HOLE:
                    self.held += 1
            if mode is Mode.REFUSE:
                _reset(client)
                continue
            threading.Thread(target=self._connect, args=(client,), name="tcp-proxy-conn", daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        if not self._flowing():
            _reset(client)
            return
        try:
            upstream = socket.create_connection(self._upstream, timeout=10)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)
        port = upstream.getsockname()[1]
        with self._changed:
            self._live.update((client, upstream))
            self._upstream_ports.add(port)
        for source, target in ((client, upstream), (upstream, client)):
            pump = threading.Thread(target=self._pump, args=(source, target, port), name="tcp-proxy-pump", daemon=True)
            pump.start()

    def _pump(self, source: socket.socket, target: socket.socket, port: int) -> None:
        try:
            while chunk := source.recv(65536):
                if not self._forward(chunk, target):
                    break
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the connection was dropped, here or at either end
        with self._changed:
            ours = source in self._live
            self._live.difference_update((source, target))
            self._upstream_ports.discard(port)
        if ours:
            _reset(source)
            _reset(target)
