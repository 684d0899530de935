"""Check an uploaded zip, and the zips nested in it, before any of its content is trusted.

Every level's central directory is validated (names, sizes, ratios, counts, nesting) when a
SafeArchive is built; reads afterwards still count the bytes actually decompressed.
"""

import io
import lzma
import re
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, BinaryIO

MIB = 1024**2
RATIO_FLOOR = MIB  # small files compress absurdly well (empty pages, padding) and are harmless
SPOOL_IN_MEMORY = 8 * MIB
CHUNK = MIB
SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
JUNK_NAMES = {".DS_Store"}
DRIVE = re.compile(r"^[A-Za-z]:")
# Everything zipfile (and the decompressors under it) raises on a damaged archive.
READ_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    UnicodeDecodeError,
    struct.error,
    OSError,  # bz2 reports bad data as OSError
    ValueError,  # a damaged directory can point before the start of the file
    RuntimeError,  # encryption (checked earlier by flag) or a decompressor missing from Python
)


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000  # across all nesting levels
    max_total_bytes: int = 2 * 1024**3  # total uncompressed, across all levels
    max_entry_bytes: int = 512 * MIB
    max_ratio: float = 200.0  # uncompressed/compressed, for entries over RATIO_FLOOR only
    max_depth: int = 2  # outer zip = depth 1; a zip inside it = depth 2


class UnsafeArchive(Exception):
    """The upload is refused; the message says what and where."""


@dataclass(frozen=True)
class Entry:
    path: str  # for entries of nested zips: "<inner zip path>!/<path inside>"
    size: int
    read: Callable[[], bytes]


@dataclass(frozen=True)
class _Member:
    archive: zipfile.ZipFile
    info: zipfile.ZipInfo


class _LimitedReader(io.RawIOBase):
    """Counts the bytes a member really yields, whatever its header claimed."""

    def __init__(self, raw: IO[bytes], limit: int, where: str):
        self._raw, self._limit, self._where, self._count = raw, limit, where, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._raw.read(len(buffer))
        except READ_ERRORS as exc:
            raise UnsafeArchive(f"{self._where!r} could not be read: {exc}") from exc
        self._count += len(data)
        if self._count > self._limit:
            raise UnsafeArchive(f"{self._where!r} is larger than {self._limit} bytes")
        buffer[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        # RawIOBase.readall would go 8 KiB at a time.
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _clean_path(info: zipfile.ZipInfo, where: str) -> str:
    """The entry's relative '/'-separated path, or UnsafeArchive if it could land elsewhere."""
    # zipfile silently cuts names at the first NUL; orig_filename still has the whole name.
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        name = unicodedata.normalize("NFC", name)
    shown = f"{where}{name}"
    if "\0" in name:
        raise UnsafeArchive(f"entry {shown!r} contains a NUL character")
    if DRIVE.match(name):
        raise UnsafeArchive(f"entry {shown!r} starts with a drive letter")
    if "\\" in name:
        raise UnsafeArchive(f"entry {shown!r} contains a backslash")
    if name.startswith("/"):
        raise UnsafeArchive(f"entry {shown!r} is an absolute path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(f"entry {shown!r} escapes the archive")
    if not parts:
        raise UnsafeArchive(f"entry {shown!r} has an empty name")
    return "/".join(parts)


def _skip_reason(path: str, info: zipfile.ZipInfo) -> str | None:
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link"
    if path.split("/")[0] == "__MACOSX" or path.rsplit("/", 1)[-1] in JUNK_NAMES:
        return "macOS metadata"
    return None


class SafeArchive:
    """A validated zip upload; building one raises UnsafeArchive if any level is refused."""

    def __init__(
        self,
        file: str | Path | BinaryIO,
        *,
        limits: Limits = Limits(),
        expand_nested: bool = True,
    ):
        self.limits = limits
        self.expand_nested = expand_nested
        self.skipped: list[tuple[str, str]] = []
        self._entries: list[Entry] = []
        self._members: dict[str, _Member] = {}
        self._count = 0
        self._total = 0
        self._closeables: list[IO[bytes] | zipfile.ZipFile] = []
        self._closed = False
        try:
            if isinstance(file, str | Path):
                label = Path(file).name
                file = open(file, "rb")  # noqa: SIM115 - closed in close()
                self._closeables.append(file)
            else:
                name = getattr(file, "name", None)  # an int for files opened from a descriptor
                label = Path(name).name if isinstance(name, str) else "the upload"
            self._inspect(file, label, prefix="", depth=1)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for closeable in reversed(self._closeables):
            closeable.close()
        self._closeables.clear()
        self._closed = True

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def open(self, path: str) -> BinaryIO:
        if self._closed:
            raise ValueError("the archive is closed")  # a caller's bug, not a bad upload
        member = self._members[path]
        # Open by ZipInfo, never by name: with duplicate names zipfile's name lookup
        # returns the last one, which need not be the one that was checked.
        try:
            raw = member.archive.open(member.info)
        except READ_ERRORS as exc:
            raise UnsafeArchive(f"{path!r} could not be read: {exc}") from exc
        limited = _LimitedReader(raw, self.limits.max_entry_bytes, path)
        return io.BufferedReader(limited, CHUNK)  # type: ignore[return-value]

    def _read(self, path: str) -> bytes:
        with self.open(path) as stream:
            return stream.read()

    def _inspect(self, file: IO[bytes], label: str, prefix: str, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(file)
        except READ_ERRORS as exc:
            raise UnsafeArchive(f"{label!r} is not a readable zip file ({exc})") from exc
        self._closeables.append(archive)
        infos = archive.infolist()
        limits = self.limits
        self._count += len(infos)
        if self._count > limits.max_entries:
            raise UnsafeArchive(
                f"{label!r} brings the archive to {self._count} entries, "
                f"more than the limit of {limits.max_entries}"
            )
        for info in infos:
            path = prefix + _clean_path(info, prefix)
            if info.is_dir():
                continue
            reason = _skip_reason(path.removeprefix(prefix), info)
            if reason:
                self.skipped.append((path, reason))
                continue
            self._check_member(archive, info, path, label)
            if path in self._members:
                raise UnsafeArchive(f"entry {path!r} appears more than once")
            self._members[path] = _Member(archive, info)
            if self.expand_nested and path.lower().endswith(".zip"):
                if depth >= limits.max_depth:
                    raise UnsafeArchive(
                        f"zips nested more than {limits.max_depth} levels deep: {path!r}"
                    )
                self._inspect(self._spool(path), path, prefix=f"{path}!/", depth=depth + 1)
            else:
                self._entries.append(Entry(path, info.file_size, partial(self._read, path)))

    def _check_member(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, label: str
    ) -> None:
        limits = self.limits
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"entry {path!r} is encrypted; encrypted entries are not supported")
        if info.compress_type not in SUPPORTED_COMPRESSION:
            raise UnsafeArchive(
                f"entry {path!r} uses unsupported compression method {info.compress_type}"
            )
        if info.file_size > limits.max_entry_bytes:
            raise UnsafeArchive(
                f"entry {path!r} is {info.file_size} bytes, "
                f"more than the limit of {limits.max_entry_bytes}"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise UnsafeArchive(
                f"entry {path!r} expands {info.compress_size} bytes to {info.file_size} "
                f"(ratio {ratio:.0f}, more than the limit of {limits.max_ratio:.0f})"
            )
        self._total += info.file_size
        if self._total > limits.max_total_bytes:
            raise UnsafeArchive(
                f"entry {path!r} brings the uncompressed total to {self._total} bytes, "
                f"more than the limit of {limits.max_total_bytes}"
            )
        # Opening reads the local header: catches truncated data and names that differ
        # from the central directory without decompressing anything.
        try:
            archive.open(info).close()
        except READ_ERRORS as exc:
            raise UnsafeArchive(f"{label!r} is not a readable zip file ({exc})") from exc

    def _spool(self, path: str) -> IO[bytes]:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        self._closeables.append(spool)
        with self.open(path) as stream:
            while chunk := stream.read(CHUNK):
                spool.write(chunk)
        spool.seek(0)
        return spool  # type: ignore[return-value]
