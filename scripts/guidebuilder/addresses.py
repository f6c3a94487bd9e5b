"""The address `make serve` listens on, checked before the preview starts.

MkDocs binds its server only after the first build, and a taken port then ends in an OSError
traceback. Parsing the address and trying it first turns both a malformed and a taken address into
one line that says which address to use instead. The try is advisory (another program may take the
port in between), so the command line also turns the server's own refusal into the same line.
"""

from __future__ import annotations

import errno
import ipaddress
import socket

from guidebuilder.errors import BuildError

DEFAULT = "127.0.0.1:8000"


def parse(text: str) -> tuple[str, int]:
    """(host, port) from HOST:PORT, in the forms MkDocs' dev_addr accepts: an IP address
    ([brackets] around IPv6) or localhost. Raises BuildError for anything else."""
    host, colon, port_text = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    valid = bool(colon) and port_text.isascii() and port_text.isdigit()
    if valid and host != "localhost":
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError:
            valid = False
    if not valid or not 1 <= int(port_text) <= 65535:
        raise BuildError(f"the address {text!r} is not HOST:PORT (an IP address or localhost, a colon "
                         f"and a port from 1 to 65535); write it like make serve ADDR={DEFAULT}")
    return host, int(port_text)


def ensure_free(host: str, port: int) -> None:
    """Raise BuildError, with the address to use instead, if the server could not listen there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As MkDocs' server does (http.server), so a port still closing after a preview counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise BuildError(unusable(host, port, exc)) from None


def unusable(host: str, port: int, exc: OSError) -> str:
    """The line for an address the server cannot listen on."""
    if exc.errno == errno.EADDRINUSE:
        return (f"the address {_show(host, port)} is already in use (another preview or program); "
                f"choose another with make serve ADDR={_show(host, port + 1 if port < 65535 else 8000)}")
    if exc.errno == errno.EACCES:
        return (f"the address {_show(host, port)} needs administrator rights (ports below 1024); "
                f"choose another with make serve ADDR={_show(host, 8000)}")
    return (f"the address {_show(host, port)} cannot be used on this computer ({exc.strerror}); "
            f"choose another with make serve ADDR={DEFAULT}")


def _show(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
