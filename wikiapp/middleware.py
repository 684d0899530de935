"""Request checks that apply to every view."""

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse

from wikiapp.permissions import PageMoved


class RejectInvalidUtf8Middleware:
    """Refuse form posts that are not valid UTF-8 instead of storing replacement characters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(
            "application/x-www-form-urlencoded"
        ):
            try:
                unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return HttpResponseBadRequest(
                    "The submitted form is not valid UTF-8; nothing was saved.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class PageMovedMiddleware:
    """A renamed page's old URLs (and all their sub-URLs) redirect to the new ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PageMoved) or request.resolver_match is None:
            return None
        match = request.resolver_match
        url = reverse(
            match.view_name, args=match.args, kwargs={**match.kwargs, "page": exception.slug}
        )
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponseRedirect(url)
