"""Write Confluence XML backups (entities.xml plus attachments/) in code, for the reader tests.

The objects look like those of a real Confluence 5.9 to 7 backup: CDATA text, references as
``<property name=... class=... package=...><id name="id">``, user keys, bodies in separate
BodyContent objects, and unrelated objects the reader must skip.
"""

import io
from dataclasses import dataclass, field

from importers.zipsafe import SafeArchive
from tests.importers.builders import make_zip

PACKAGES = {
    "Page": "com.atlassian.confluence.pages",
    "BlogPost": "com.atlassian.confluence.pages",
    "Comment": "com.atlassian.confluence.pages",
    "Draft": "com.atlassian.confluence.pages",
    "Attachment": "com.atlassian.confluence.pages",
    "BodyContent": "com.atlassian.confluence.core",
    "Space": "com.atlassian.confluence.spaces",
    "SpaceDescription": "com.atlassian.confluence.spaces",
    "ConfluenceUserImpl": "com.atlassian.confluence.user",
    "ContentProperty": "com.atlassian.confluence.content",
    "OutgoingLink": "com.atlassian.confluence.links",
}
DESCRIPTOR = b"#Tue May 10 17:04:43 CEST 2016\nexportType=all\nbackupAttachments=true\n"
SPACE_ID = "360449"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def prop(name: str, value) -> str:
    if value is None or value == "":
        return f'<property name="{name}"/>'
    if isinstance(value, int):
        return f'<property name="{name}">{value}</property>'
    return f'<property name="{name}">{cdata(str(value))}</property>'


def ref(name: str, cls: str, object_id: str | None, id_name: str = "id") -> str:
    if object_id is None:
        return ""
    value = cdata(object_id) if id_name == "key" else object_id
    return (
        f'<property name="{name}" class="{cls}" package="{PACKAGES[cls]}">'
        f'<id name="{id_name}">{value}</id>\n</property>\n'
    )


def collection(name: str, cls: str, ids) -> str:
    elements = "".join(
        f'<element class="{cls}" package="{PACKAGES[cls]}"><id name="id">{i}</id>\n</element>\n'
        for i in ids
    )
    return f'<collection name="{name}" class="java.util.Collection">{elements}</collection>\n'


def obj(cls: str, object_id: str, *parts: str, id_name: str = "id") -> str:
    value = cdata(object_id) if id_name == "key" else object_id
    return (
        f'<object class="{cls}" package="{PACKAGES[cls]}">\n<id name="{id_name}">{value}</id>\n'
        + "\n".join(p for p in parts if p)
        + "\n</object>\n"
    )


@dataclass
class Backup:
    """An entities.xml in the making, plus the files of its attachments/ folder."""

    objects: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    _next: int = 900000

    def next_id(self) -> str:
        self._next += 1
        return str(self._next)

    def user(self, key: str, name: str) -> "Backup":
        self.objects.append(
            obj(
                "ConfluenceUserImpl",
                key,
                prop("name", name),
                prop("lowerName", name.lower()),
                id_name="key",
            )
        )
        return self

    def space(self, key: str = "DS", name: str = "Demo", home: str | None = None, id=SPACE_ID):
        self.objects.append(
            obj(
                "Space",
                id,
                prop("name", name),
                prop("key", key),
                prop("lowerKey", key.lower()),
                ref("homePage", "Page", home),
            )
        )
        return self

    def page(
        self,
        page_id: str,
        title: str,
        body: str | None = "<p>Text</p>",
        *,
        cls: str = "Page",
        version: int = 1,
        status: str = "current",
        original: str | None = None,
        original_style: str = "ref",
        historical: tuple[str, ...] = (),
        parent: str | None = None,
        position: int | None = None,
        space: str | None = SPACE_ID,
        creator: str | None = None,
        modifier: str | None = None,
        created: str = "2016-05-10 15:00:00.000",
        modified: str = "2016-05-10 15:04:07.000",
        comment: str = "",
        body_type: int = 2,
        extra: str = "",
    ) -> "Backup":
        body_id = self.next_id()
        if original is None:
            originals = prop("originalVersionId", None)
        elif original_style == "ref":
            originals = ref("originalVersion", cls, original)
        else:
            originals = prop("originalVersionId", int(original))
        self.objects.append(
            obj(
                cls,
                page_id,
                prop("position", position),
                ref("parent", "Page", parent),
                ref("space", "Space", space),
                prop("hibernateVersion", 2),
                prop("title", title),
                prop("lowerTitle", title.lower()),
                collection("bodyContents", "BodyContent", [body_id] if body is not None else []),
                collection("historicalVersions", cls, historical) if historical else "",
                prop("version", version),
                ref("creator", "ConfluenceUserImpl", creator, "key"),
                prop("creationDate", created),
                ref("lastModifier", "ConfluenceUserImpl", modifier, "key"),
                prop("lastModificationDate", modified),
                prop("versionComment", comment),
                originals,
                prop("contentStatus", status),
                extra,
            )
        )
        if body is not None:
            self.objects.append(
                obj(
                    "BodyContent",
                    body_id,
                    prop("body", body),
                    ref("content", cls, page_id),
                    prop("bodyType", body_type),
                )
            )
        return self

    def attachment(
        self,
        attachment_id: str,
        title: str,
        page: str,
        data: bytes | None = b"file",
        *,
        version: int = 1,
        status: str = "current",
        original: str | None = None,
        path: str | None = None,
        modified: str = "2016-05-10 15:00:04.075",
    ) -> "Backup":
        """An Attachment object and, unless data is None, its file at `path`."""
        props = [self.next_id(), self.next_id()]
        self.objects.append(
            obj(
                "Attachment",
                attachment_id,
                ref("space", "Space", SPACE_ID),
                prop("title", title),
                prop("lowerTitle", title.lower()),
                collection("contentProperties", "ContentProperty", props),
                prop("version", version),
                prop("creationDate", modified),
                prop("lastModificationDate", modified),
                prop("versionComment", ""),
                ref("originalVersion", "Attachment", original),
                prop("originalVersionId", int(original) if original else None),
                prop("contentStatus", status),
                ref("containerContent", "Page", page),
            )
        )
        # Confluence 5.9 keeps size and media type in separate ContentProperty objects.
        self.objects.append(
            obj("ContentProperty", props[0], prop("name", "FILESIZE"), prop("longValue", 4))
        )
        self.objects.append(
            obj("ContentProperty", props[1], prop("name", "MEDIA_TYPE"), prop("stringValue", "x"))
        )
        if data is not None:
            self.files[path or f"attachments/{page}/{attachment_id}/{version}"] = data
        return self

    def noise(self) -> "Backup":
        """Objects every real backup has and the reader must skip."""
        self.objects.append(
            obj(
                "OutgoingLink",
                self.next_id(),
                prop("destinationPageTitle", "Somewhere"),
                ref("sourceContent", "Page", "1"),
            )
        )
        self.objects.append(
            obj("SpaceDescription", self.next_id(), ref("space", "Space", SPACE_ID))
        )
        return self

    def xml(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<hibernate-generic datetime="2016-05-10 17:04:43">\n'
            + "".join(self.objects)
            + "</hibernate-generic>\n"
        ).encode()

    def zip(self, folder: str = "") -> bytes:
        files = {
            f"{folder}entities.xml": self.xml(),
            f"{folder}exportDescriptor.properties": DESCRIPTOR,
        }
        files.update({folder + path: data for path, data in self.files.items()})
        return make_zip(files)

    def archive(self, folder: str = "") -> SafeArchive:
        return SafeArchive(io.BytesIO(self.zip(folder)))


def archive_of(entities_xml: bytes | str) -> SafeArchive:
    """A backup whose entities.xml is exactly the given text (for hostile documents)."""
    data = entities_xml.encode() if isinstance(entities_xml, str) else entities_xml
    return SafeArchive(io.BytesIO(make_zip({"entities.xml": data})))
