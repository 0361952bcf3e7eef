"""Opening request files as text: paths or file objects, gzip, encodings.

Errors a file can cause while it is read (bytes not in the encoding, broken
gzip, broken CSV quoting) become :class:`~slacalc.errors.SourceError` naming
the file and the place, so that a bad file never ends in a bare traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import os
import zlib
from collections.abc import Callable
from typing import IO, Any, BinaryIO, TypeAlias, cast

import attrs

from slacalc.errors import SourceError

__all__ = ["Opened", "PathOrFile", "open_text", "read_error"]

#: A path (``str`` or ``os.PathLike``) or an open text or binary file.
PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[str] | IO[bytes]"

_GZIP_MAGIC = b"\x1f\x8b"
_HINT = "; pass encoding='latin-1' or the export's real encoding (e.g. 'cp1252')"


@attrs.define
class Opened:
    """A source opened as text, with what is needed to explain its errors."""

    text: IO[str]
    name: str
    encoding: str
    stack: contextlib.ExitStack
    #: Opens the same bytes again from the start, to find a bad byte.
    reopen: Callable[[], contextlib.AbstractContextManager[BinaryIO]] | None = None

    def close(self) -> None:
        """Close what was opened here; a caller's own file stays open."""
        self.stack.close()


def _name(source: object) -> str:
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str | os.PathLike) else "<stream>"


def _maybe_gunzip(binary: BinaryIO, name: str, stack: contextlib.ExitStack) -> Any:
    peek = getattr(binary, "peek", None)
    if callable(peek):
        head = peek(2)[:2]
    elif binary.seekable():
        start = binary.tell()
        head = binary.read(2)
        binary.seek(start)
    else:
        head = b""
    if head == _GZIP_MAGIC or (not head and name.endswith(".gz")):
        return stack.enter_context(gzip.GzipFile(fileobj=binary, mode="rb"))
    return binary


def _path_bytes(path: str) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115 - the caller closes what it gets
    if raw.peek(2)[:2] != _GZIP_MAGIC:
        return raw
    raw.close()
    return cast(BinaryIO, gzip.open(path, "rb"))


def open_text(source: object, encoding: str) -> Opened:
    """Open a path or file object for reading CSV text (``newline=""``).

    Raises:
        SourceError: the encoding is unknown.
        TypeError: ``source`` is neither a path nor a file object.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(
            _name(source),
            f"encoding must be a codec name such as 'utf-8', got {encoding!r}",
        ) from None
    stack = contextlib.ExitStack()
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        raw = stack.enter_context(open(path, "rb"))  # noqa: SIM115 - stack closes it
        binary = _maybe_gunzip(raw, path, stack)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        stack.callback(text.close)

        def reopen() -> contextlib.AbstractContextManager[BinaryIO]:
            return _path_bytes(path)

        return Opened(text, path, encoding, stack, reopen)
    read = getattr(source, "read", None)
    if not callable(read):
        raise TypeError(
            f"source must be a path or an open file, got {type(source).__name__} "
            f"{source!r:.80}"
        )
    name = _name(source)
    if isinstance(read(0), str):
        encoding = str(getattr(source, "encoding", None) or encoding)
        return Opened(cast(IO[str], source), name, encoding, stack)
    binary = cast(BinaryIO, source)
    start = binary.tell() if binary.seekable() else None
    binary = _maybe_gunzip(binary, name, stack)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    # Detach rather than close: the caller's file stays theirs to close.
    stack.callback(text.detach)
    if start is None:
        return Opened(text, name, encoding, stack)

    def rewind() -> contextlib.AbstractContextManager[BinaryIO]:
        # Closing a GzipFile leaves its fileobj open; the caller's file is
        # never closed here.
        original = cast(BinaryIO, source)
        original.seek(start)
        head = original.read(2)
        original.seek(start)
        if head == _GZIP_MAGIC:
            return cast(BinaryIO, gzip.GzipFile(fileobj=original, mode="rb"))
        return contextlib.nullcontext(original)

    return Opened(text, name, encoding, stack, rewind)


def _bad_byte(binary: BinaryIO, encoding: str) -> int | None:
    """The offset of the first byte that ``encoding`` cannot decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    position = 0
    while True:
        chunk = binary.read(1 << 16)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return position - pending + error.start
        if not chunk:
            return None
        position += len(chunk)


def read_error(opened: Opened, error: Exception, line: int) -> SourceError:
    """The :class:`SourceError` for an error met while reading ``opened``."""
    if isinstance(error, UnicodeDecodeError):
        offset: int | None = None
        if opened.reopen is not None:
            errors = (OSError, EOFError, zlib.error)
            with contextlib.suppress(*errors), opened.reopen() as binary:
                offset = _bad_byte(binary, opened.encoding)
        where = f"byte offset {offset}" if offset is not None else f"line {line + 1}"
        bad = error.object[error.start : error.start + 4]
        hint = _HINT
        if offset == 0 and bad[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "; it starts with a UTF-16 byte-order mark: pass encoding='utf-16'"
        return SourceError(
            opened.name,
            f"cannot decode the bytes at {where} as {opened.encoding!r} "
            f"({bad!r}: {error.reason}){hint}",
        )
    if isinstance(error, csv.Error):
        return SourceError(opened.name, f"malformed CSV near line {line}: {error}")
    return SourceError(
        opened.name,
        f"cannot read the file near line {line}: {error} "
        "(a damaged or truncated gzip file?)",
    )
