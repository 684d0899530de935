"""Views. Each module's functions look objects up only through wikiapp.permissions."""


def wants_fragment(request) -> bool:
    """Whether an htmx request asked for a part of a page rather than a whole page.

    Boosted links and history restores also come from htmx, but want the whole page.
    """
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
