"""Serving an archive over HTTP with uvicorn."""

from __future__ import annotations

import uvicorn

from gazette.archive import Archive
from gazette.web.app import create_app

MAX_REQUEST_HEAD = 64 * 1024
"""Bytes allowed in a request line and headers: room for a 10 kB query, percent-encoded."""


def display_url(host: str, port: int) -> str:
    """The address to open in a browser for a server bound to ``host``:``port``."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def server_config(
    archive: Archive,
    host: str = "127.0.0.1",
    port: int = 8080,
    log_level: str = "info",
    access_log: bool = False,
) -> uvicorn.Config:
    """The uvicorn configuration that serves ``archive``. No access log by default (a quiet
    terminal; its cost per request was within noise in bench/results/web.md)."""
    return uvicorn.Config(
        create_app(archive),
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
    )


def serve(
    archive: Archive, host: str = "127.0.0.1", port: int = 8080, access_log: bool = False
) -> None:
    """Serve ``archive`` until interrupted, after printing the URL to open."""
    print(f"Gazette is serving {archive.data_dir} at {display_url(host, port)}", flush=True)
    uvicorn.Server(server_config(archive, host, port, access_log=access_log)).run()
