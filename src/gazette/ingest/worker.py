"""Parsing a large file in a second process, while this one stores what it has parsed.

Reading a WordPress or Blogger export is mostly Python (sanitizing, text extraction,
splitting compilations into clips), and so is storing: on two cores they overlap when a
worker process parses the file and sends its posts back a chunk at a time. Whether the
file can be read at all is settled in the worker before the first post is sent, so a file
that fails as a whole still fails before anything is written.

The worker is ``python -m gazette.ingest.worker FILE FORMAT SOURCE``; it writes pickled
messages to its standard output: ``("total", n)``, then ``("posts", (read, [...]))``
chunks and ``("end", (attachments, failures, skipped, warnings))``, or ``("error", text)``.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

import gazette
from gazette.ingest.base import Batch, ImportFailure
from gazette.model import Post

PARALLEL_BYTES = 4 << 20
"""Files at least this large are parsed in a worker (starting one costs about 0.3 s)."""
CHUNK = 200
"""Posts sent back at a time."""


def parse(path: Path, format_name: str, source: str) -> Batch:
    """The file's batch, parsed in a worker process: ``posts`` is an iterator that receives
    them (split into clips, for a clipping format) as the worker reads them; the other
    lists are filled in when it has read them all. Raises ImportFailure as parsing in this
    process would."""
    home = str(Path(gazette.__file__).resolve().parents[1])  # the worker imports this Gazette
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (home, os.environ.get("PYTHONPATH")))),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gazette.ingest.worker", str(path), format_name, source],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    kind, value = _message(process.stdout, source)
    if kind != "total":
        process.stdout.close()
        process.wait()
        raise ImportFailure(value)
    batch = Batch(total=value)
    messages: queue.Queue = queue.Queue()
    pump = threading.Thread(
        target=_pump, args=(process.stdout, messages, source), daemon=True, name="worker-pump"
    )
    pump.start()
    batch.posts = _receive(messages, pump, process, batch)
    return batch


def _message(stream: IO[bytes], source: str) -> tuple[str, Any]:
    try:
        return pickle.load(stream)
    except (EOFError, pickle.UnpicklingError):
        return "error", f"{source}: the parser stopped before it had finished"


def _pump(stream: IO[bytes], messages: queue.Queue, source: str) -> None:
    """Take the worker's messages off the pipe as they come, so that it never waits for
    this process to finish storing a transaction before it parses on."""
    with stream:
        while True:
            message = _message(stream, source)
            messages.put(message)
            if message[0] != "posts":
                return


def _receive(
    messages: queue.Queue, pump: threading.Thread, process: subprocess.Popen, batch: Batch
) -> Iterator[Post]:
    try:
        while True:
            kind, value = messages.get()
            if kind == "posts":
                batch.read, posts = value
                yield from posts
            elif kind == "end":
                batch.attachments, batch.failures, batch.skipped, batch.warnings = value
                return
            else:
                raise ImportFailure(value)
    finally:
        if process.poll() is None and pump.is_alive():
            process.kill()  # the import stopped before the worker had finished
        pump.join()
        process.wait()


def _work(path: str, format_name: str, source: str, out: IO[bytes]) -> None:
    """In the worker: parse the file and send the messages the module docstring lists."""
    from gazette import ingest

    def send(kind: str, value: Any) -> None:
        pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        module = ingest.importer(format_name, source)
        batch = getattr(module, "iterparse", module.parse)(Path(path).read_bytes(), source)
        posts = iter(batch.posts)
        send("total", batch.total if batch.total is not None else len(batch.posts))
        split = format_name in ingest.CLIPPING_FORMATS
        while chunk := [ingest.with_clips(post) if split else post
                        for post in islice(posts, CHUNK)]:  # fmt: skip
            send("posts", (batch.read, chunk))
        send("end", (batch.attachments, batch.failures, batch.skipped, batch.warnings))
    except ImportFailure as failure:
        send("error", str(failure))
    except OSError as error:
        send("error", f"{source}: cannot be read ({error.strerror})")
    except Exception:  # a bug in a parser: say where, in the import's errors
        send("error", f"{source}: the parser failed:\n{traceback.format_exc()}")


if __name__ == "__main__":
    _work(*sys.argv[1:4], out=sys.stdout.buffer)
