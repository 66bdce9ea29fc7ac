"""A fresh segment built by three processes at once: read, analyse, write.

A rebuild has three parts of similar cost: reading the sources and
extracting metadata (the indexing loop, in the caller's process), analysing
the text (``indexer.prepared.Preparer``) and adding the postings to a
Whoosh segment (``indexer.segment.PreparedSegmentWriter``). ``FreshSegment``
runs the last two in two child processes chained like a shell pipeline::

    caller ──fields──▶ (pipeline) prepare DIR ──prepared batches──▶ (pipeline) write DIR
       ▲                                                                                  │
       └──────────────────────────── one JSON line: {"documents": N} ──────────────────────┘

so that both cores work on one build. Frames are length-prefixed pickles
(``("batch", [...])``, ``("commit",)``, ``("cancel",)``, ``("error", text)``),
sent only between these processes. A run of fewer than ``IN_PROCESS``
documents starts no child: it is analysed and written here at commit.

The children are plain ``python -c`` processes (see ``main``), not
``multiprocessing`` ones: they inherit nothing (not the lock, not threads) and never re-import
the caller's ``__main__``; both read the schema from the generation's table
of contents. They ignore Ctrl-C: the caller decides, and ``cancel`` stops
them. When the caller dies (even by ``kill -9``), the end of its pipe
reaches the analyser, which exits; the writer then reads the end of its
own pipe, drops its segment and exits; the partial generation is removed
by the next run.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import struct
import subprocess
import sys
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.errors import IndexerError
from indexer.prepared import Preparer
from indexer.segment import PreparedSegmentWriter

IN_PROCESS = 1_000  # a run of fewer documents is analysed and written in the caller's process
BATCH = 200  # documents per frame
_SIZE = struct.Struct("!Q")
ROOT = Path(__file__).resolve().parent.parent


def write_frame(stream, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)


def read_frame(stream) -> tuple:
    """The next frame; ``("cancel",)`` when the stream ends (the sender is gone)."""
    header = stream.read(_SIZE.size)
    if len(header) < _SIZE.size:
        return ("cancel",)
    size = _SIZE.unpack(header)[0]
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else ("cancel",)


def _writer(directory: str) -> PreparedSegmentWriter:
    return PreparedSegmentWriter(whoosh_index.open_dir(directory), compound=False)


def _commit(writer: PreparedSegmentWriter, directory: str) -> int:
    writer.commit(optimize=True)
    return whoosh_index.open_dir(directory).doc_count()


def prepare(directory: str, stdin, stdout) -> None:
    """The analyser: fields in, prepared batches out (numbered in order); control frames passed on."""
    preparer, docnum = Preparer(whoosh_index.open_dir(directory).schema), 0
    while True:
        frame = read_frame(stdin)
        if frame[0] == "batch":
            try:
                frame = ("batch", tuple(preparer.prepare(frame[1], docnum)))
                docnum += len(frame[1][2])
            except Exception as exc:  # the writer reports it to the caller
                frame = ("error", f"{type(exc).__name__}: {exc}")
        write_frame(stdout, frame)
        if frame[0] != "batch":
            stdout.flush()
            return


def write(directory: str, stdin, stdout) -> None:
    """The writer: add every prepared batch, then commit (or drop everything); answer one JSON line.

    A system error (a full disk) is answered with its ``errno``, so that the
    caller says it in French; the caller removes the partial generation.
    """
    writer = _writer(directory)
    try:
        while True:
            frame = read_frame(stdin)
            if frame[0] == "batch":
                writer.add_batch(frame[1])
                continue
            if frame[0] == "commit":
                answer = {"documents": _commit(writer, directory)}
            else:
                _drop(writer)
                answer = {"error": frame[1] if frame[0] == "error" else "annulé"}
            break
    except Exception as exc:
        _drop(writer)
        answer = {"error": f"{type(exc).__name__}: {exc}", "errno": getattr(exc, "errno", None)}
    stdout.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
    stdout.flush()


def _drop(writer: PreparedSegmentWriter) -> None:
    """Cancel ``writer``; one that failed half-way through its commit may refuse, and its files
    go with the generation anyway."""
    try:
        writer.cancel()
    except Exception:
        pass


class FreshSegment:
    """The one segment of a fresh generation at ``directory`` (created with its schema)."""

    def __init__(self, directory: Path):
        self.directory = str(Path(directory).resolve())
        self._pending: list[dict] = []
        self._children: list[subprocess.Popen] = []

    def add(self, fields: dict) -> None:
        self._pending.append(fields)
        if not self._children and len(self._pending) >= IN_PROCESS:
            self._start()
        if self._children and len(self._pending) >= BATCH:
            self._send(("batch", self._pending))
            self._pending = []

    def _child(self, role: str, stdin) -> subprocess.Popen:
        debug = os.environ.get("RTES_SEARCH_DEBUG")
        return subprocess.Popen(
            [sys.executable, "-c", "from indexer.pipeline import main; main()", role, self.directory], cwd=ROOT,
            stdin=stdin, stdout=subprocess.PIPE, stderr=None if debug else subprocess.DEVNULL,
        )

    def _start(self) -> None:
        analyser = self._child("prepare", subprocess.PIPE)
        writer = self._child("write", analyser.stdout)
        analyser.stdout.close()  # the writer holds it now
        self._children = [analyser, writer]

    def _send(self, message: tuple) -> None:
        try:
            write_frame(self._children[0].stdin, message)
        except (BrokenPipeError, ConnectionResetError):
            raise self._failure(self._answer()) from None

    def _failure(self, answer: dict) -> Exception:
        """The writer's failure: its ``OSError`` again when the system refused (a full disk: the
        caller names the disk), else an ``IndexerError`` saying what it answered."""
        if answer.get("errno"):
            return OSError(answer["errno"], os.strerror(answer["errno"]), self.directory)
        return IndexerError(f"l'écriture de l'index a échoué ({answer.get('error')})")

    def _answer(self) -> dict:
        """The writer's JSON line, once both children have exited."""
        analyser, writer = self._children
        try:
            analyser.stdin.close()
        except OSError:
            pass
        line = writer.stdout.readline()
        for child in self._children:
            child.wait()
        try:
            return json.loads(line)
        except ValueError:
            return {"error": f"arrêtée sans réponse (code {writer.returncode})"}

    def commit(self) -> int:
        """Write the segment and the table of contents; the number of documents."""
        if not self._children:
            writer = _writer(self.directory)
            writer.add_batch(Preparer(writer.schema).prepare(self._pending, 0))
            return _commit(writer, self.directory)
        if self._pending:
            self._send(("batch", self._pending))
        self._send(("commit",))
        answer = self._answer()
        if "documents" not in answer:
            raise self._failure(answer)
        return answer["documents"]

    def cancel(self) -> None:
        """Stop the children (if any) and drop what they wrote."""
        self._pending = []
        if not self._children or self._children[1].poll() is not None:
            return
        try:
            write_frame(self._children[0].stdin, ("cancel",))
            self._children[0].stdin.close()
            for child in self._children:
                child.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            for child in self._children:
                child.kill()
                child.wait()


def main() -> None:
    """A child's entry point: ``python -c "from indexer.pipeline import main; main()" ROLE DIR``.

    Not ``python -m indexer.pipeline``: the package imports this module
    first, and runpy would then run it a second time as ``__main__``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    {"prepare": prepare, "write": write}[sys.argv[1]](sys.argv[2], sys.stdin.buffer, sys.stdout.buffer)
