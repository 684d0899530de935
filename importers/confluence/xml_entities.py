"""Stream a Confluence backup's entities.xml into compact records.

entities.xml is one ``<hibernate-generic>`` element holding a flat list of ``<object>``s (pages,
their historical versions, bodies, attachments, users, spaces and much that an import does not
need). It can be hundreds of megabytes, so it is read with lxml's iterparse and every object is
dropped as soon as its few useful fields are copied out; page bodies are kept zlib-compressed.

The file is refused before the XML parser sees it if its prolog holds a DOCTYPE: Confluence
never writes one, and refusing it up front rules out entity expansion (billion laughs) and
external entities or DTDs (XXE) whatever the parser's own settings are.
"""

import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from importers.zipsafe import UnsafeArchive

MAX_PROLOG = 1024**2
CHUNK = 64 * 1024
_WHITESPACE = b" \t\r\n"


@dataclass(slots=True)
class PageRecord:
    id: str
    title: str = ""
    version: int = 0
    status: str = ""
    original: str | None = None  # set on historical versions: the current page's id
    historical: tuple[str, ...] = ()  # ids listed in the current page's historicalVersions
    parent: str | None = None
    position: int | None = None
    space: str | None = None
    author_key: str | None = None  # lastModifier, else creator (a ConfluenceUserImpl key)
    author_name: str = ""  # lastModifierName / creatorName of exports older than user keys
    modified: str = ""
    comment: str = ""


@dataclass(slots=True)
class AttachmentRecord:
    id: str
    title: str = ""
    version: int = 0
    status: str = ""
    original: str | None = None
    container: str | None = None
    modified: str = ""


@dataclass(slots=True)
class BodyRecord:
    body_type: str
    data: bytes  # zlib-compressed UTF-8

    def text(self) -> str:
        return zlib.decompress(self.data).decode("utf-8")


@dataclass(slots=True)
class SpaceRecord:
    key: str = ""
    name: str = ""
    home: str | None = None


@dataclass
class Entities:
    pages: dict[str, PageRecord] = field(default_factory=dict)
    bodies: dict[str, BodyRecord] = field(default_factory=dict)  # content (page) id -> body
    attachments: list[AttachmentRecord] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # user key -> user name
    spaces: dict[str, SpaceRecord] = field(default_factory=dict)


def read_entities(stream: BinaryIO, path: str = "entities.xml") -> Entities:
    """The useful objects of entities.xml; UnsafeArchive if it is hostile or not XML."""
    entities = Entities()
    source = _checked(stream, path)
    parser = etree.iterparse(
        source,
        events=("end",),
        tag="object",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # a single page body may exceed libxml2's 10 MB text limit
        remove_comments=True,
        remove_pis=True,
    )
    readers = {
        "Page": _read_page,
        "BodyContent": _read_body,
        "Attachment": _read_attachment,
        "ConfluenceUserImpl": _read_user,
        "Space": _read_space,
    }
    try:
        for _event, element in parser:
            reader = readers.get(element.get("class", ""))
            if reader is not None:
                reader(element, entities)
            # Forget the object and everything before it, or the tree grows with the file.
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise UnsafeArchive(f"{path} is not well-formed XML: {error}") from error
    return entities


# Prolog check --------------------------------------------------------------------------


class _Prefixed:
    """A read()-able stream that first returns the bytes already read from `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                return data if size < 0 else data + self._stream.read(size - len(data))
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._stream.read(size)


def _checked(stream: BinaryIO, path: str) -> _Prefixed:
    head = b""
    while True:
        chunk = stream.read(CHUNK)
        head += chunk
        if _root_start(head, path) is not None or not chunk:
            return _Prefixed(head, stream)
        if len(head) > MAX_PROLOG:
            raise UnsafeArchive(f"{path} has more than {MAX_PROLOG} bytes before its first element")


def _root_start(data: bytes, path: str) -> int | None:
    """Where the root element starts; None while more bytes are needed to tell."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:1] == b"\x00":
        raise UnsafeArchive(f"{path} is not UTF-8; Confluence writes its backups in UTF-8")
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while pos < len(data) and data[pos] in _WHITESPACE:
            pos += 1
        if len(data) - pos < 4:
            return None
        if data[pos : pos + 1] != b"<":
            raise UnsafeArchive(f"{path} is not an XML document")
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            if end < 0:
                return None
            pos = end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif data.startswith(b"<!", pos):
            raise UnsafeArchive(f"{path} declares a DOCTYPE: DTDs and entities are not allowed")
        else:
            return pos


# Objects -------------------------------------------------------------------------------


def _fields(element) -> tuple[str, dict[str, str], dict[str, tuple[str, str]]]:
    """(id, scalar properties, references as (class, id)) of one object."""
    object_id, scalars, refs = "", {}, {}
    for child in element:
        tag = child.tag
        if tag == "id":
            object_id = (child.text or "").strip()
        elif tag == "property":
            name = child.get("name", "")
            cls = child.get("class")
            if cls is None:
                scalars[name] = child.text or ""
            else:
                ref = child.find("id")
                if ref is not None and ref.text and ref.text.strip():
                    refs[name] = (cls, ref.text.strip())
    return object_id, scalars, refs


def _collection(element, name: str) -> tuple[str, ...]:
    for child in element.iterchildren("collection"):
        if child.get("name") == name:
            return tuple(
                (ref.text or "").strip() for ref in child.iterfind("element/id") if ref.text
            )
    return ()


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _original(scalars: dict, refs: dict) -> str | None:
    if "originalVersion" in refs:
        return refs["originalVersion"][1]
    value = scalars.get("originalVersionId", "").strip()
    return value if value and value != "0" else None


def _ref(refs: dict, *names: str) -> str | None:
    for name in names:
        if name in refs:
            return refs[name][1]
    return None


def _read_page(element, entities: Entities) -> None:
    object_id, scalars, refs = _fields(element)
    entities.pages[object_id] = PageRecord(
        id=object_id,
        title=scalars.get("title", ""),
        version=_int(scalars.get("version")) or 0,
        status=scalars.get("contentStatus", "current").strip().lower() or "current",
        original=_original(scalars, refs),
        historical=_collection(element, "historicalVersions"),
        parent=_ref(refs, "parent"),
        position=_int(scalars.get("position")),
        space=_ref(refs, "space"),
        author_key=_ref(refs, "lastModifier", "creator"),
        author_name=scalars.get("lastModifierName") or scalars.get("creatorName") or "",
        modified=scalars.get("lastModificationDate") or scalars.get("creationDate") or "",
        comment=scalars.get("versionComment", ""),
    )


def _read_body(element, entities: Entities) -> None:
    _, scalars, refs = _fields(element)
    content = refs.get("content")
    # Bodies of blog posts, comments, drafts and space descriptions are not imported.
    if content is None or content[0] != "Page":
        return
    body = scalars.get("body", "")
    entities.bodies[content[1]] = BodyRecord(
        body_type=scalars.get("bodyType", "2").strip(),
        data=zlib.compress(body.encode("utf-8"), 1),
    )


def _read_attachment(element, entities: Entities) -> None:
    object_id, scalars, refs = _fields(element)
    entities.attachments.append(
        AttachmentRecord(
            id=object_id,
            title=scalars.get("title") or scalars.get("fileName") or "",
            version=_int(scalars.get("version") or scalars.get("attachmentVersion")) or 0,
            status=scalars.get("contentStatus", "current").strip().lower() or "current",
            original=_original(scalars, refs),
            container=_ref(refs, "containerContent", "content"),
            modified=scalars.get("lastModificationDate") or scalars.get("creationDate") or "",
        )
    )


def _read_user(element, entities: Entities) -> None:
    key, scalars, _ = _fields(element)
    entities.users[key] = scalars.get("name") or scalars.get("lowerName") or key


def _read_space(element, entities: Entities) -> None:
    object_id, scalars, refs = _fields(element)
    entities.spaces[object_id] = SpaceRecord(
        key=scalars.get("key", ""), name=scalars.get("name", ""), home=_ref(refs, "homePage")
    )
