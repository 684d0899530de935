"""The watch over a Chromium context: whatever a stored payload manages to do, it records.

It counts as executed any call of alert/confirm/prompt/print/open (wrapped by an init script
in every frame, reported through an exposed binding), any JavaScript dialog, and any
javascript:/vbscript:/data: link that runs when the probe clicks it. Any request to an
origin other than the live server is a leak, recorded and aborted. "Armed" is what is in a
page without having run yet: an on* handler, a script URL, a script, frame, plugin, base,
refresh, stylesheet, or a form control, style or htmx attribute inside page content, none
of which any template of the site writes.

The context ignores the Content-Security-Policy (`bypass_csp`), so what the watch proves
is that the sanitiser and the templates stop a payload, not that the CSP catches it after.
"""

import re
from dataclasses import dataclass, field

PASSWORD = "xss-password-123"
# Markers are six-digit numbers from 900001 up (Watch.plant).
MARKER = re.compile(r"9\d{5}")

# In every frame, before any of the page's own script: record the calls a payload makes.
WATCH_SCRIPT = """(() => {
  const report = (kind, args) => {
    try { window.__xssReport(kind, Array.from(args).map(String).join(" ")); } catch (e) {}
  };
  // alert/confirm/prompt go on to open their dialog too, so page.on("dialog") is proved
  // by the same calls; print and open are only recorded.
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const original = window[name];
    const opensDialog = ["alert", "confirm", "prompt"].includes(name);
    window[name] = function () {
      report(name, arguments);
      return opensDialog ? original.apply(window, arguments) : null;
    };
  }
})();"""

# What is in the page after it loaded, and what runs when its odd links are clicked.
PROBE_SCRIPT = """async (origin) => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  await frame();  // animations and toggles fire their first events by the next frame
  const armed = [];
  const note = (el, what) => armed.push(what + " on <" + el.tagName.toLowerCase() + "> "
                                        + el.outerHTML.slice(0, 200));
  const safe = (value) => {
    try {
      const url = new URL(value, document.baseURI);
      return ["http:", "https:", "mailto:"].includes(url.protocol);
    } catch (e) { return true; }  // not a URL the browser would follow
  };
  // From the attribute, not the property: an SVG <script> or <a> has no string .src/.href.
  const absolute = (el, name) => {
    try { return new URL(el.getAttribute(name) || "", document.baseURI).href; }
    catch (e) { return ""; }
  };
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                         "background", "poster", "ping", "cite", "codebase"];
  for (const el of document.querySelectorAll("*")) {
    const inContent = !!el.closest(".prose");
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) note(el, "handler " + name);
      if (urlAttributes.includes(name) && !safe(attr.value)) note(el, "script URL " + name);
      if (name === "srcdoc" || name === "srcset") note(el, name);
      if (inContent && (name.startsWith("hx-") || name.startsWith("data-hx")
                        || name === "style")) note(el, "attribute " + name);
    }
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
         "svg", "math", "form", "input", "textarea", "select", "button", "template",
         "noscript", "video", "audio", "isindex"].includes(tag) && inContent) note(el, tag);
    if (tag === "script" && !absolute(el, "src").startsWith(origin + "/static/"))
      note(el, "script");
    if (tag === "meta" && el.httpEquiv) note(el, "meta refresh");
    if (tag === "link" && !absolute(el, "href").startsWith(origin + "/static/"))
      note(el, "link");
    if (["iframe", "frame", "object", "embed", "applet", "base"].includes(tag) && !inContent)
      note(el, tag);
  }
  let clicked = 0;
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!safe(a.getAttribute("href"))) { a.click(); clicked += 1; }
  }
  if (clicked) {  // a javascript: URL runs as a task some time after the click
    await frame();
    await new Promise(r => setTimeout(r, 0));
    await frame();
  }
  return {armed, clicked};
}"""


# htmx marks the element of a request in flight and the content it is swapping in.
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


@dataclass(frozen=True)
class Planted:
    """One payload stored in one place, with the number its marker calls carry."""

    marker: int
    family: str
    place: str
    text: str


@dataclass
class Watch:
    """One logged-in Chromium context that records everything payloads manage to do."""

    origin: str
    planted: dict[int, Planted] = field(default_factory=dict)
    executions: list[tuple[str, str, str]] = field(default_factory=list)  # (where, kind, what)
    leaks: list[tuple[str, str]] = field(default_factory=list)  # (where, url)
    armed: list[tuple[str, str]] = field(default_factory=list)  # (where, what)
    pages_opened: int = 0
    refused: int = 0  # payloads an action would not store at all
    where: str = "setup"
    _next: int = 900_000

    def plant(self, family: str, place: str, text: str) -> Planted:
        self._next += 1
        planted = Planted(self._next, family, place, text.replace("MARK", str(self._next)))
        self.planted[planted.marker] = planted
        return planted

    def attach(self, context) -> None:
        context.add_init_script(WATCH_SCRIPT)
        context.expose_binding("__xssReport", self._reported)
        # Only other origins are intercepted; the live server's own requests go straight on.
        context.route(re.compile(rf"^(?!{re.escape(self.origin)}/)"), self._other_origin)
        context.on("page", self._watch_page)

    def _watch_page(self, page) -> None:
        page.on("dialog", self._dialog)

    def _reported(self, source, kind: str, what: str) -> None:
        self.executions.append((self.where, kind, what))

    def _dialog(self, dialog) -> None:
        self.executions.append((self.where, f"dialog {dialog.type}", dialog.message))
        dialog.dismiss()

    def _other_origin(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")):
            route.continue_()  # never leaves the browser; what such a URL runs is caught above
            return
        self.leaks.append((self.where, url))
        route.abort()

    def open(self, page, url: str, where: str, *, status: int = 200, htmx: str = "") -> None:
        """Load `url`, let it settle, and look for anything a payload left armed.

        `htmx`: part of the URL of a request htmx makes on load; its swap is waited for.
        """
        self.where = where
        if htmx:
            with page.expect_request_finished(lambda request: htmx in request.url):
                response = page.goto(url, wait_until="load")
            page.wait_for_function(HTMX_IDLE)
        else:
            response = page.goto(url, wait_until="load")
        self.pages_opened += 1
        assert response is not None and response.status == status, (where, url, response)
        self.probe(page)

    def probe(self, page) -> None:
        found = page.evaluate(PROBE_SCRIPT, self.origin)
        self.armed.extend((self.where, what) for what in found["armed"])

    def culprits(self) -> dict[str, set]:
        """What ran, leaked or stayed armed: the payloads' markers, else the page it was on."""

        def who(where: str, what: str) -> set:
            for text in (what, where):
                markers = {int(n) for n in MARKER.findall(text) if int(n) in self.planted}
                if markers:
                    return markers
            return {where}

        return {
            "executed": {m for w, kind, what in self.executions for m in who(w, what)},
            "leaked": {m for w, url in self.leaks for m in who(w, url)},
            "armed": {m for w, what in self.armed for m in who(w, what)},
        }

    def report(self) -> str:
        lines = [f"executed: {e}" for e in self.executions]
        lines += [f"leaked: {x}" for x in self.leaks]
        lines += [f"armed: {a}" for a in self.armed]
        return "\n".join(lines[:60])


def log_in(browser, live_server, watch: Watch, username: str) -> tuple[object, object]:
    """A fresh context that ignores CSP, watched, logged in through the login form."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    watch.attach(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return context, page
