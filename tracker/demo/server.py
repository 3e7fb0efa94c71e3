"""A local HTTP server for the bundled sample, so the demo runs the real collection code."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "sample"
TEXT_TYPES = {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8",
              ".txt": "text/plain"}


class SampleHandler(SimpleHTTPRequestHandler):
    """Serves the sample folder, writing the server's own address where files say {base}."""

    base = ""
    overlay: Path | None = None  # files here replace the sample's: news published later

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = Path(self.translate_path(self.path.split("?")[0]))
        if self.overlay is not None:
            later = self.overlay / path.relative_to(self.directory)
            path = later if later.is_file() else path
        if not path.is_file() or path.suffix not in TEXT_TYPES:
            self.send_error(404)
            return
        body = path.read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Type", TEXT_TYPES[path.suffix])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path = SAMPLE) -> Iterator[type[SampleHandler]]:
    """Serve `directory` on 127.0.0.1 (a free port) until the block ends; yields the handler
    class: `.base` is the URL, setting `.overlay` publishes the files of another folder."""
    handler = type("Handler", (SampleHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
