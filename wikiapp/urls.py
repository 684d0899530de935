from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from artefacts import kinds
from artefacts import urls as artefact_urls
from importers import urls as import_urls
from wikiapp import validation
from wikiapp.views import attachments, history, pages, palette, search, spaces
from wikiapp.views.kinds import page_kind


class SlugConverter:
    """Page and space addresses: letters (any script), digits, - and _, never starting with -."""

    regex = validation.ADDRESS_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugConverter, "wslug")


class KindListConverter:
    regex = "|".join(kind.list_slug for kind in kinds.artefacts())

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindListConverter, "kindlist")


wiki_patterns = [
    path("", spaces.home, name="home"),
    path("spaces/new/", spaces.space_create, name="space_create"),
    path("s/<wslug:space>/", spaces.space_home, name="space"),
    path("s/<wslug:space>/-/members/", spaces.members, name="members"),
    path("s/<wslug:space>/-/import/", include(import_urls.space_patterns)),
    path("s/<wslug:space>/-/new/", pages.page_create, name="page_create"),
    path("s/<wslug:space>/-/preview/", pages.preview, name="preview"),
    path("s/<wslug:space>/-/", include(artefact_urls.space_patterns)),
    path("s/<wslug:space>/-/<kindlist:listing>/", spaces.kind_list, name="kind_list"),
    path("palette/", palette.palette, name="palette"),
    path("search/", search.search, name="search"),
    path("s/<wslug:space>/<wslug:page>/", pages.page_view, name="page"),
    path("s/<wslug:space>/<wslug:page>/", include(artefact_urls.page_patterns)),
    path("s/<wslug:space>/<wslug:page>/edit/", pages.page_edit, name="page_edit"),
    path("s/<wslug:space>/<wslug:page>/rename/", pages.page_rename, name="page_rename"),
    path("s/<wslug:space>/<wslug:page>/move/", pages.page_move, name="page_move"),
    path("s/<wslug:space>/<wslug:page>/kind/", page_kind, name="page_kind"),
    path("s/<wslug:space>/<wslug:page>/history/", history.history, name="history"),
    path("s/<wslug:space>/<wslug:page>/diff/", history.diff, name="diff"),
    path("s/<wslug:space>/<wslug:page>/v/<int:number>/", history.revision_view, name="revision"),
    path("s/<wslug:space>/<wslug:page>/v/<int:number>/restore/", history.restore, name="restore"),
    path("s/<wslug:space>/<wslug:page>/attachments/", attachments.attachments, name="attachments"),
    path(
        "s/<wslug:space>/<wslug:page>/attachments/<int:pk>/<str:name>",
        attachments.download,
        name="attachment",
    ),
    # By name, for links and images in page text (![](diagram.png)).
    path(
        "s/<wslug:space>/<wslug:page>/files/<str:name>",
        attachments.download_named,
        name="attachment_named",
    ),
]

urlpatterns = [
    path("", include((wiki_patterns, "wiki"))),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", spaces.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
