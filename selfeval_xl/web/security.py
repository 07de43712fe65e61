"""Which Host names the server answers to.

Why: a page on another site can rebind its own name to this server's address (DNS rebinding) and then
read the answers as if it were ours; a request that names a host this server is not is refused. A name
is allowed when it is the public URL's, the address bound, this PC's own name, or — bound to every
address (``0.0.0.0``) — any address written as numbers (a rebinding needs a name, not an address).
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERY_ADDRESS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class HostRule:
    names: frozenset[str]
    any_address: bool            # bound to every address: any numeric address is this server

    def allows(self, header: str | None) -> bool:
        """Whether a request's Host header (``name``, ``name:port``, ``[v6]:port``) names this server."""
        name = host_name(header or "")
        if not name:
            return False
        if name in self.names:
            return True
        if self.any_address:
            try:
                ipaddress.ip_address(name)
                return True
            except ValueError:
                return False
        return False


def host_name(header: str) -> str:
    """The host of a Host header, lower case, without its port or the brackets of an IPv6 address."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(host: str, public_url: str | None = None) -> HostRule:
    """The Host names a server bound to ``host`` answers (and the public URL's, when it has one)."""
    names = set(LOCAL_NAMES)
    if public_url:
        names.add(host_name(urlsplit(public_url).netloc.rsplit("@", 1)[-1]))
    every = host in EVERY_ADDRESS
    if every:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    else:
        names.add(host_name(host if ":" not in host or host.startswith("[") else f"[{host}]"))
    return HostRule(frozenset(n for n in names if n), every)
