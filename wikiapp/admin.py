"""Django admin for staff: accounts are managed here; wiki data is shown read-only.

Spaces, members and pages change only through wikiapp.actions (the app's own screens),
so the rules those enforce — one admin per space, immutable revisions — cannot be
bypassed from here.
"""

from django.contrib import admin

from wikiapp.models import Attachment, Membership, Page, PageRead, Revision, Space


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Space)
class SpaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Page)
class PageAdmin(ReadOnlyAdmin):
    list_display = ["title", "space", "kind", "version", "updated_at"]
    list_filter = ["space", "kind"]
    search_fields = ["title", "slug"]
    list_select_related = ["space"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["page", "number", "author", "origin", "created_at"]
    list_filter = ["origin"]
    search_fields = ["page__title", "message"]
    list_select_related = ["page", "author"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "page", "content_type", "size", "created_at"]
    search_fields = ["name", "sha256"]
    list_select_related = ["page"]


@admin.register(PageRead)
class PageReadAdmin(ReadOnlyAdmin):
    list_display = ["page", "user", "revision_number", "read_at"]
    list_select_related = ["page", "user"]
