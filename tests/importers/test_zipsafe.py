"""Checking uploaded zips before anything in them is trusted."""

import io
import re
import time
import zipfile

import pytest

from importers.zipsafe import Limits, SafeArchive, UnsafeArchive, _LimitedReader
from tests.importers.builders import (
    PNG,
    make_zip,
    many_entries_zip,
    patch_member,
    raw_name,
    rename_legacy,
    symlink,
)

MIB = 1024**2


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(UnsafeArchive) as caught:
        SafeArchive(io.BytesIO(data), limits=Limits(**limits))
    return str(caught.value)


def test_it_lists_files_with_sizes_and_reads_them_back():
    data = make_zip({"space/": b"", "space/home.html": b"<p>hi</p>", "space/logo.png": PNG})

    with SafeArchive(io.BytesIO(data)) as archive:
        entries = archive.entries()
        assert [(e.path, e.size) for e in entries] == [
            ("space/home.html", 9),
            ("space/logo.png", len(PNG)),
        ]
        assert entries[1].read() == PNG
        with archive.open("space/home.html") as stream:
            assert stream.read() == b"<p>hi</p>"
        assert archive.skipped == []
    with pytest.raises(ValueError, match="closed"):
        entries[0].read()


def test_it_opens_a_zip_by_path(tmp_path):
    upload = tmp_path / "export.zip"
    upload.write_bytes(make_zip({"./a//b.txt": b"b"}))

    with SafeArchive(upload) as archive:
        assert [e.path for e in archive.entries()] == ["a/b.txt"]
        assert archive.entries()[0].read() == b"b"


def test_it_expands_nested_part_zips_in_place():
    part1 = make_zip({"Page abc.md": b"# One", "Page abc/img.png": PNG})
    part2 = make_zip({"Other def.md": b"# Two"})
    outer = make_zip(
        {
            "readme.txt": b"r",
            "Export-1-Part-1.zip": part1,
            "Export-1-Part-2.zip": part2,
        }
    )

    with SafeArchive(io.BytesIO(outer)) as archive:
        entries = archive.entries()
        assert [e.path for e in entries] == [
            "readme.txt",
            "Export-1-Part-1.zip!/Page abc.md",
            "Export-1-Part-1.zip!/Page abc/img.png",
            "Export-1-Part-2.zip!/Other def.md",
        ]
        assert entries[2].read() == PNG
        assert entries[2].size == len(PNG)
        with archive.open("Export-1-Part-2.zip!/Other def.md") as stream:
            assert stream.read() == b"# Two"


def test_it_lists_nested_zips_as_files_when_not_expanding():
    inner = make_zip({"a.txt": b"a"})
    outer = make_zip({"attachment.zip": inner})

    with SafeArchive(io.BytesIO(outer), expand_nested=False) as archive:
        assert [e.path for e in archive.entries()] == ["attachment.zip"]
        assert archive.entries()[0].read() == inner


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x", "escapes the archive"),
        ("a/../../x", "escapes the archive"),
        ("a/b/..", "escapes the archive"),
        ("/etc/passwd", "absolute path"),
        ("C:\\x", "drive letter"),
        ("C:x", "drive letter"),
        ("a\\..\\b", "backslash"),
        ("ok.txt\x00.png", "NUL"),
        ("", "empty name"),
        ("./", "empty name"),
    ],
)
def test_it_refuses_names_that_could_land_outside(name, reason):
    data = make_zip([("fine.txt", b"f"), (raw_name(name), b"x")])

    message = refusal(data)

    assert reason in message
    assert repr(name) in message


def test_it_refuses_escaping_names_inside_nested_zips():
    inner = make_zip([(raw_name("../../x"), b"x")])
    message = refusal(make_zip({"Part-1.zip": inner}))
    assert repr("Part-1.zip!/../../x") in message


def test_it_skips_symlinks_and_macos_junk():
    data = make_zip(
        [
            ("page.html", b"p"),
            (symlink("link-to-passwd"), b"/etc/passwd"),
            ("__MACOSX/._page.html", b"junk"),
            ("dir/.DS_Store", b"junk"),
        ]
    )

    with SafeArchive(io.BytesIO(data)) as archive:
        assert [e.path for e in archive.entries()] == ["page.html"]
        assert archive.skipped == [
            ("link-to-passwd", "symbolic link"),
            ("__MACOSX/._page.html", "macOS metadata"),
            ("dir/.DS_Store", "macOS metadata"),
        ]
        with pytest.raises(KeyError):
            archive.open("link-to-passwd")


def test_it_refuses_duplicate_paths():
    assert "'a.txt' appears more than once" in refusal(make_zip([("a.txt", b"1"), ("a.txt", b"2")]))
    assert "'a/b' appears more than once" in refusal(make_zip([("a/b", b"1"), ("a/./b", b"2")]))


def test_it_refuses_a_nested_path_that_shadows_an_outer_one():
    inner = make_zip({"x": b"inner"})
    assert "appears more than once" in refusal(make_zip([("p.zip!/x", b"outer"), ("p.zip", inner)]))


def test_it_counts_entries_across_nesting_levels():
    inner = make_zip({f"in-{i}": b"" for i in range(50)})
    outer = make_zip({**{f"out-{i}": b"" for i in range(49)}, "Part-1.zip": inner})

    with SafeArchive(io.BytesIO(outer), limits=Limits(max_entries=100)) as archive:
        assert len(archive.entries()) == 99

    outer = make_zip({**{f"out-{i}": b"" for i in range(50)}, "Part-1.zip": inner})
    assert "101 entries, more than the limit of 100" in refusal(outer, max_entries=100)


def test_it_refuses_a_hundred_thousand_entries_quickly():
    started = time.perf_counter()
    data = many_entries_zip(100_000)

    message = refusal(data)

    assert "100000 entries, more than the limit of 20000" in message
    assert time.perf_counter() - started < 30  # a hang guard: reading every entry takes minutes


def test_it_refuses_a_ratio_bomb():
    data = make_zip({"zeros.bin": bytes(50_000_000)})

    message = refusal(data)

    assert "'zeros.bin' expands" in message
    assert "more than the limit of 200" in message


def test_it_lets_small_files_compress_well():
    with SafeArchive(io.BytesIO(make_zip({"blank.txt": bytes(MIB)}))) as archive:
        assert archive.entries()[0].read() == bytes(MIB)


def test_it_refuses_entries_over_the_size_limit():
    data = make_zip({"big.bin": bytes(101)})

    assert "is 101 bytes, more than the limit of 100" in refusal(data, max_entry_bytes=100)
    with SafeArchive(io.BytesIO(data), limits=Limits(max_entry_bytes=101)) as archive:
        assert archive.entries()[0].size == 101


def test_it_refuses_a_total_over_the_limit_across_levels():
    inner = make_zip({"b.bin": bytes(400)}, zipfile.ZIP_STORED)
    data = make_zip({"a.bin": bytes(400), "Part-1.zip": inner}, zipfile.ZIP_STORED)
    # a.bin + the inner zip itself (it is spooled) + b.bin
    total = 400 + len(inner) + 400

    assert f"total to {total} bytes, more than the limit of" in refusal(
        data, max_total_bytes=total - 1
    )
    with SafeArchive(io.BytesIO(data), limits=Limits(max_total_bytes=total)) as archive:
        assert len(archive.entries()) == 2


def test_it_stops_reading_when_the_header_understates_the_size():
    # The central directory claims 1,000 bytes; the data inflates to 5 MiB.
    data = patch_member(make_zip({"liar.bin": bytes(5 * MIB)}), "liar.bin", file_size=1_000)

    with SafeArchive(io.BytesIO(data), limits=Limits(max_entry_bytes=MIB)) as archive:
        (entry,) = archive.entries()
        assert entry.size == 1_000
        with pytest.raises(UnsafeArchive, match=re.escape("'liar.bin' could not be read")):
            entry.read()
        received = 0
        with pytest.raises(UnsafeArchive), archive.open("liar.bin") as stream:
            while chunk := stream.read(64 * 1024):
                received += len(chunk)
        assert received <= MIB


def test_it_counts_the_bytes_a_stream_really_yields():
    # zipfile itself stops at the declared size, so this guard is exercised directly.
    reader = io.BufferedReader(_LimitedReader(io.BytesIO(bytes(3 * MIB)), MIB, "x.bin"))

    with pytest.raises(UnsafeArchive, match=re.escape("'x.bin' is larger than 1048576 bytes")):
        reader.read()


def test_it_refuses_zips_nested_three_levels_deep():
    level3 = make_zip({"deep.txt": b"d"})
    level2 = make_zip({"c.zip": level3})
    outer = make_zip({"b.zip": level2})

    assert "zips nested more than 2 levels deep: 'b.zip!/c.zip'" in refusal(outer)
    assert "zips nested more than 1 levels deep: 'b.zip'" in refusal(outer, max_depth=1)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (PNG + bytes(100), "File is not a zip file"),
        (b"just some text\n", "File is not a zip file"),
        (b"", "File is not a zip file"),
        (make_zip({"a.txt": b"a" * 1000})[:-30], "File is not a zip file"),
        (make_zip({"a.txt": b"a" * 1000}, zipfile.ZIP_STORED)[200:], "negative seek"),
    ],
    ids=["png", "text", "empty", "truncated", "head-cut"],
)
def test_it_refuses_what_is_not_a_readable_zip(data, problem):
    message = refusal(data)

    assert "'the upload' is not a readable zip file" in message
    assert problem in message


def test_it_refuses_an_unreadable_nested_zip():
    outer = make_zip({"Part-1.zip": b"not a zip"})
    assert "'Part-1.zip' is not a readable zip file" in refusal(outer)


def test_it_reports_a_corrupt_entry_when_it_is_read():
    data = bytearray(make_zip({"a.txt": b"hello world"}, zipfile.ZIP_STORED))
    data[data.index(b"hello")] = ord("j")

    expected = re.escape("'a.txt' could not be read: Bad CRC-32")
    with (
        SafeArchive(io.BytesIO(bytes(data))) as archive,
        pytest.raises(UnsafeArchive, match=expected),
    ):
        archive.entries()[0].read()


def test_it_refuses_encrypted_entries():
    data = patch_member(make_zip({"a.txt": b"a", "secret.txt": b"s"}), "secret.txt", set_flags=1)
    assert "'secret.txt' is encrypted; encrypted entries are not supported" in refusal(data)


def test_it_refuses_unsupported_compression():
    data = bytearray(make_zip({"a.txt": b"a"}, zipfile.ZIP_STORED))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.index(header) + (8 if header == b"PK\x03\x04" else 10)
        data[at] = 99  # AES, as WinZip writes it
    assert "unsupported compression method 99" in refusal(bytes(data))


def test_it_decodes_legacy_names_as_cp437():
    data = rename_legacy(make_zip({"cafe.txt": b"c"}), "cafe.txt", b"caf\x82.txt")

    with SafeArchive(io.BytesIO(data)) as archive:
        assert [e.path for e in archive.entries()] == ["café.txt"]


def test_it_keeps_utf8_names():
    with SafeArchive(io.BytesIO(make_zip({"Notizen/Übersicht.md": b"u"}))) as archive:
        assert [e.path for e in archive.entries()] == ["Notizen/Übersicht.md"]


def test_it_refuses_a_name_flagged_utf8_that_is_not():
    data = rename_legacy(make_zip({"cafe.txt": b"c"}), "cafe.txt", b"caf\xff.txt")
    data = patch_member(data, "caf\ufffd.txt", set_flags=0x800)

    assert "is not a readable zip file" in refusal(data)


def test_it_skips_junk_inside_nested_zips():
    inner = make_zip({"__MACOSX/._a.md": b"junk", "a.md": b"a"})

    with SafeArchive(io.BytesIO(make_zip({"Part-1.zip": inner}))) as archive:
        assert [e.path for e in archive.entries()] == ["Part-1.zip!/a.md"]
        assert archive.skipped == [("Part-1.zip!/__MACOSX/._a.md", "macOS metadata")]
