"""Build zip files in memory for tests, including hostile ones zipfile would not write itself."""

import io
import stat
import struct
import warnings
import zipfile
from collections.abc import Iterable

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

CENTRAL_SIGNATURE = b"PK\x01\x02"
LOCAL_SIGNATURE = b"PK\x03\x04"
END_SIGNATURE = b"PK\x05\x06"


def make_zip(
    files: dict[str, bytes] | Iterable[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A zip of (name or ZipInfo, content) pairs, in order; duplicates are allowed."""
    pairs = files.items() if isinstance(files, dict) else files
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names but writes them
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in pairs:
                archive.writestr(name, data)
    return buffer.getvalue()


def raw_name(name: str) -> zipfile.ZipInfo:
    """A ZipInfo keeping the name exactly, even a NUL that ZipInfo() would cut it at."""
    info = zipfile.ZipInfo("placeholder")
    info.filename = name
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def many_entries_zip(count: int) -> bytes:
    return make_zip(((f"page-{i}.txt", b"") for i in range(count)), zipfile.ZIP_STORED)


def _central_records(data: bytes) -> Iterable[tuple[int, str]]:
    """(offset, name) of each central directory record."""
    end = data.rindex(END_SIGNATURE)
    count, _size, offset = struct.unpack_from("<HII", data, end + 10)
    for _ in range(count):
        assert data[offset : offset + 4] == CENTRAL_SIGNATURE
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        yield offset, data[offset + 46 : offset + 46 + name_len].decode("utf-8", errors="replace")
        offset += 46 + name_len + extra_len + comment_len


def patch_member(
    data: bytes, name: str, *, set_flags: int = 0, file_size: int | None = None
) -> bytes:
    """Rewrite one member's headers: OR in general-purpose flags, or claim another size."""
    patched = bytearray(data)
    for offset, record_name in _central_records(data):
        if record_name != name:
            continue
        (local,) = struct.unpack_from("<I", data, offset + 42)
        assert data[local : local + 4] == LOCAL_SIGNATURE
        for flags_at in (offset + 8, local + 6):
            (flags,) = struct.unpack_from("<H", patched, flags_at)
            struct.pack_into("<H", patched, flags_at, flags | set_flags)
        if file_size is not None:
            struct.pack_into("<I", patched, offset + 24, file_size)
            struct.pack_into("<I", patched, local + 22, file_size)
        return bytes(patched)
    raise KeyError(name)


def rename_legacy(data: bytes, name: str, legacy: bytes) -> bytes:
    """Give a member a non-UTF-8 name of the same length, as old zip tools wrote them."""
    assert len(legacy) == len(name.encode())
    for offset, record_name in _central_records(data):
        if record_name == name:
            (local,) = struct.unpack_from("<I", data, offset + 42)
            patched = bytearray(data)
            patched[offset + 46 : offset + 46 + len(legacy)] = legacy
            patched[local + 30 : local + 30 + len(legacy)] = legacy
            return bytes(patched)
    raise KeyError(name)
