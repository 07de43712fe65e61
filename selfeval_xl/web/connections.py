"""Connections that cannot hold the server: headers must arrive in time, and past the cap on open
connections the one that has been silent longest (still sending its headers or its body) is dropped.

Why at the connection: a request whose headers never finish never reaches the app, so no middleware
can time it out; 300 of them held open must not lock the uploads out. uvicorn takes the protocol class
to use (``http=``); this is its h11 protocol with a header clock and a cap. The body's own clock (a
pause while a body is sent) is in :mod:`.guards`, which answers 408.
"""
from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .limits import WebLimits


class BoundedH11(H11Protocol):
    """uvicorn's h11 protocol with :class:`~.limits.WebLimits`' header clock and connection cap."""

    limits: WebLimits = WebLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._heard = self.loop.time()
        self._clock: asyncio.TimerHandle | None = None
        self._wind()
        if len(self.connections) > self.limits.connections:
            self._shed()

    def data_received(self, data: bytes) -> None:
        self._heard = self.loop.time()
        super().data_received(data)
        self._wind()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._clock is not None:
            self._clock.cancel()
        super().connection_lost(exc)

    def _waiting_for_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _wind(self) -> None:
        """The header clock runs while a request's headers are awaited (from the connection's start or
        the first byte of a request), and stops once they are in."""
        if self._waiting_for_headers():
            if self._clock is None:
                self._clock = self.loop.call_later(self.limits.header_seconds, self._late)
        elif self._clock is not None:
            self._clock.cancel()
            self._clock = None

    def _late(self) -> None:
        self._clock = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()

    def _silent(self) -> bool:
        """Still sending (its headers, or a body the app waits for), not being answered."""
        return self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not (
            self.cycle is not None and self.cycle.response_started)

    def _shed(self) -> None:
        """Over the cap: the connection silent longest goes (this new one if every other is busy answering)."""
        quiet = [c for c in self.connections if isinstance(c, BoundedH11) and c is not self and c._silent()
                 and not c.transport.is_closing()]
        victim = min(quiet, key=lambda c: c._heard) if quiet else self
        victim.transport.close()


def bounded_protocol(limits: WebLimits) -> type[BoundedH11]:
    """The protocol class for uvicorn's ``http=`` with these limits."""
    return type("BoundedH11", (BoundedH11,), {"limits": limits})
