"""The core wiki: spaces, members, pages, immutable revisions, attachments, reads.

Every write goes through wikiapp.actions; reads go through the QuerySet methods here.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    READER = "reader", "Reader"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


# What each role may do; a view asks for one of these needs.
ROLE_RANK = {Role.READER: 1, Role.EDITOR: 2, Role.ADMIN: 3}
NEED_RANK = {"read": 1, "edit": 2, "admin": 3}


class Origin(models.TextChoices):
    WEB = "web", "Web"
    IMPORT = "import", "Import"
    API = "api", "API"
    RESTORE = "restore", "Restore"


class Space(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="space_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wiki:space", args=[self.slug])

    def page_path(self, page_slug: str) -> str:
        """The URL of this space's page `page_slug`, as reverse("wiki:page") gives it.

        Joined, not reversed, for lists of thousands of links (the tree, health findings).
        """
        return f"{self._path}{quote(page_slug, safe='')}/"

    @cached_property
    def _path(self) -> str:
        return self.get_absolute_url()


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        return self.filter(user=user).select_related("space")


class Membership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READER)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.space}"

    def allows(self, need: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= NEED_RANK[need]


class PageQuerySet(models.QuerySet):
    def tree_rows(self) -> "PageQuerySet":
        return self.order_by("position", "title").only(
            "id", "parent_id", "slug", "title", "kind", "position"
        )


class PageManager(models.Manager.from_queryset(PageQuerySet)):
    def get_queryset(self) -> PageQuerySet:
        # The search vectors can be as large as the page text and only the database reads
        # them; loading them with every page would double what a page view transfers.
        return super().get_queryset().defer("search_vector", "title_vector")


class Page(models.Model):
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="pages")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, default="page")
    position = models.IntegerField(default=0)
    # Number of the current revision; 0 only while the first revision is being written.
    version = models.PositiveIntegerField(default=0)
    current = models.OneToOneField(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The current revision's HTML rendered again after a page it links to appeared;
    # empty while the revision's own HTML is still true (see actions.links).
    html = models.TextField(blank=True, default="")
    # The current revision's structured fields, copied here so lists can query them.
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Written with each revision (see wikiapp.search): title A, fields B, body C.
    search_vector = SearchVectorField(null=True, editable=False)
    # The title alone without stemming, so prefixes of the real words match.
    title_vector = SearchVectorField(null=True, editable=False)

    objects = PageManager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="page_slug_unique_in_space"),
            models.CheckConstraint(condition=~Q(slug=""), name="page_slug_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="page_title_not_empty"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="page_not_own_parent"),
            models.CheckConstraint(
                condition=Q(version=0, current__isnull=True)
                | Q(version__gte=1, current__isnull=False),
                name="page_version_matches_current",
            ),
        ]
        indexes = [
            models.Index(fields=["space", "parent", "position"]),
            # Kind lists, health and the search form's kinds ask for a space's pages of a kind.
            models.Index(fields=["space", "kind"], name="page_space_kind"),
            # A word in most pages: search ranks the most recently changed of them.
            models.Index(fields=["-updated_at", "-id"], name="page_recent"),
            GinIndex(fields=["search_vector"], name="page_search_vector_gin"),
            GinIndex(fields=["title_vector"], name="page_title_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wiki:page", args=[self.space.slug, self.slug])

    def url(self, name: str, *args) -> str:
        return reverse(f"wiki:{name}", args=[self.space.slug, self.slug, *args])


class PageRedirect(models.Model):
    """An old slug of a renamed page, so links and bookmarks keep working."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="redirects")
    slug = models.SlugField(max_length=200)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="redirect_slug_unique_in_space"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} -> {self.page_id}"


class RevisionQuerySet(models.QuerySet):
    def history(self) -> "RevisionQuerySet":
        return self.select_related("author").defer("body", "html", "fields").order_by("-number")


class Revision(models.Model):
    """One saved state of a page. Never updated or deleted (a database trigger refuses)."""

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    fields = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    # The source's author when it has no account here (imports).
    author_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    message = models.CharField(max_length=500, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.WEB)
    source_id = models.CharField(max_length=200, blank=True)
    source_version = models.CharField(max_length=64, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["page", "number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=Q(origin__in=[o.value for o in Origin]), name="revision_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def author_label(self) -> str:
        if self.author_id:
            return self.author.get_username()
        return self.author_name or "unknown"


class Attachment(models.Model):
    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="attachments")
    # Stored under its content hash; `name` is what the user sees and downloads.
    file = models.FileField(upload_to="attachments/", max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["page", "name"], name="attachment_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="attachment_name_not_empty"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "wiki:attachment", args=[self.page.space.slug, self.page.slug, self.pk, self.name]
        )

    @property
    def is_image(self) -> bool:
        return self.content_type in INLINE_IMAGE_TYPES


# Raster images only: SVG can carry script, so it is always a download.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class PageRead(models.Model):
    """Which revision of a page a user last saw."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision_number = models.PositiveIntegerField()
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="page_read_unique"),
            models.CheckConstraint(
                condition=Q(revision_number__gte=1), name="page_read_revision_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} read page {self.page_id} v{self.revision_number}"
