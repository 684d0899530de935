"""Confluence macros (ac:structured-macro, and ac:macro of Confluence 4) as Markdown.

A mixin for StorageConverter: it relies on the converter's page_link, link_to_id, file_link,
markdown_of, escape, index, page_id, space and report.
"""

import re

from importers.htmlmd import callout, expand

# By colour: Confluence's note panel is yellow and its warning panel red.
CALLOUTS = {"info": "info", "tip": "tip", "note": "warning", "warning": "danger", "panel": "note"}
# Macros that only lay out or label their body: keeping the body loses nothing that matters.
BODY_ONLY = {"section", "column", "details", "excerpt", "div", "span", "center", "layout"}
FILE_VIEWERS = {"view-file", "viewpdf", "viewdoc", "viewxls", "viewppt", "multimedia"}
LANGUAGES = {"none": "", "plain": "", "js": "javascript", "c#": "csharp", "c++": "cpp"}
MAX_TREE_DEPTH = 10
_LANGUAGE_RE = re.compile(r"^[\w+#.-]{1,40}$")


def in_table(parent_tags) -> bool:
    return "td" in parent_tags or "th" in parent_tags


def _param(params: dict, name: str) -> str:
    element = params.get(name)
    return " ".join(element.get_text().split()) if element is not None else ""


def _fenced(code: str, language: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"


def _inline_code(code: str) -> str:
    return "`" + " ".join(code.split()).replace("`", "'") + "`"


class MacroMixin:
    def macro(self, el, parent_tags) -> str:
        name = (el.get("ac:name") or "").strip().lower()
        params: dict = {}
        for parameter in el.find_all(["ac:parameter", "ac:default-parameter"], recursive=False):
            params.setdefault(parameter.get("ac:name", ""), parameter)
        handler = MACROS.get(name)
        if handler is not None:
            return handler(self, el, name, params, parent_tags)
        if name in BODY_ONLY:
            return self.rich_body(el, parent_tags)
        if name in CALLOUTS:
            return self.callout_macro(el, name, params, parent_tags)
        if name in FILE_VIEWERS:
            return self.file_macro(el, name, params, parent_tags)
        return self.unknown_macro(el, name, params, parent_tags)

    def rich_body(self, el, parent_tags) -> str:
        return self.markdown_of(el.find("ac:rich-text-body", recursive=False), parent_tags)

    def plain_body(self, el) -> str:
        body = el.find("ac:plain-text-body", recursive=False)
        return body.get_text() if body is not None else ""

    def block(self, text: str, parent_tags) -> str:
        return text.strip() if in_table(parent_tags) else f"\n\n{text.strip()}\n\n"

    def code_macro(self, el, name, params, parent_tags) -> str:
        code = self.plain_body(el)
        if in_table(parent_tags):
            return _inline_code(code)
        language = _param(params, "language") or _param(params, "")  # "" in Confluence 4
        language = language.lower() if name == "code" else ""
        language = LANGUAGES.get(language, language)
        language = language if _LANGUAGE_RE.match(language) else ""
        title = _param(params, "title")
        heading = f"**{self.escape(title, parent_tags)}**\n\n" if title else ""
        return f"\n\n{heading}{_fenced(code, language)}\n\n"

    def callout_macro(self, el, name, params, parent_tags) -> str:
        body = self.rich_body(el, parent_tags)
        if in_table(parent_tags):
            return body
        return callout(CALLOUTS[name], _param(params, "title"), body)

    def expand_macro(self, el, name, params, parent_tags) -> str:
        body = self.rich_body(el, parent_tags)
        if in_table(parent_tags):
            return body
        return expand(_param(params, "title"), body)

    def quote_macro(self, el, name, params, parent_tags) -> str:
        body = self.rich_body(el, parent_tags).strip()
        if in_table(parent_tags):
            return body
        return "\n\n" + "\n".join(f"> {line}".rstrip() for line in body.split("\n")) + "\n\n"

    def status_macro(self, el, name, params, parent_tags) -> str:
        title = _param(params, "title") or _param(params, "colour") or "status"
        title = title.replace("[", "(").replace("]", ")").upper()
        return f"**[{self.escape(title, parent_tags)}]**"

    def toc_macro(self, el, name, params, parent_tags) -> str:
        return "" if in_table(parent_tags) else "\n\n[TOC]\n\n"

    def anchor_macro(self, el, name, params, parent_tags) -> str:
        return ""

    def children_macro(self, el, name, params, parent_tags) -> str:
        root = self.page_id
        if "page" in params:
            root = self.page_param(params["page"], name)
        depth = _param(params, "depth")
        if _param(params, "all").lower() == "true":
            depth = MAX_TREE_DEPTH
        depth = min(int(depth), MAX_TREE_DEPTH) if str(depth).isdigit() else 1
        return self.page_list(root, max(depth, 1), parent_tags)

    def pagetree_macro(self, el, name, params, parent_tags) -> str:
        root_param = params.get("root")
        root_text = _param(params, "root")
        page = root_param.find("ri:page") if root_param is not None else None
        root_text = page.get("ri:content-title", "") if page is not None else root_text
        if root_text == "@self":
            root = self.page_id
        elif root_text == "@parent":
            root = self.index.parents.get(self.page_id)
        elif root_text in ("", "@home", "@none"):
            root = self.index.homes.get(self.space)
        else:
            root = self.page_param(root_param, name)
        return self.page_list(root, MAX_TREE_DEPTH, parent_tags)

    def page_param(self, parameter, macro: str) -> str | None:
        page = parameter.find("ri:page")
        title = page.get("ri:content-title", "") if page is not None else parameter.get_text()
        space = page.get("ri:space-key") if page is not None else None
        found = self.index.find(title.strip(), space, home_space=self.space)
        if found is None:
            self.report.warn(f"{macro} macro: page {title.strip()!r} not found in the export")
        return found

    def page_list(self, root: str | None, depth: int, parent_tags) -> str:
        lines: list[str] = []

        def walk(page_id: str, level: int) -> None:
            for child in self.index.children.get(page_id, []):
                lines.append("    " * level + "- " + self.link_to_id(child, "", parent_tags))
                if level + 1 < depth:
                    walk(child, level + 1)

        if root is not None:
            walk(root, 0)
        if not lines:
            return ""
        if in_table(parent_tags):
            return "<br>".join(line.strip() for line in lines)
        return "\n\n" + "\n".join(lines) + "\n\n"

    def include_macro(self, el, name, params, parent_tags) -> str:
        parameter = params.get("") or params.get("page")
        page = parameter.find("ri:page") if parameter is not None else None
        if page is not None:
            title, space = page.get("ri:content-title", ""), page.get("ri:space-key")
        else:
            title, space = _param(params, "") or _param(params, "page"), None
        if not title:
            return self.unknown_macro(el, name, params, parent_tags)
        link = self.page_link(title, "", parent_tags, space)
        return self.block(f"*Included from* {link}", parent_tags)

    def jira_macro(self, el, name, params, parent_tags) -> str:
        key = _param(params, "key")
        if not key:
            query = _param(params, "jqlQuery") or _param(params, "jql")
            self.report.warn("jira macro: issue lists are not imported")
            return self.escape(f"(Jira issues: {query})" if query else "(Jira issues)", parent_tags)
        server = _param(params, "server")
        if re.match(r"^https?://", server):
            self.report.links.total += 1
            self.report.links.external += 1
            return f"[{self.escape(key, parent_tags)}]({server.rstrip('/')}/browse/{key})"
        return self.escape(key, parent_tags)

    def widget_macro(self, el, name, params, parent_tags) -> str:
        url_param = params.get("url")
        target = url_param.find("ri:url") if url_param is not None else None
        url = target.get("ri:value", "") if target is not None else _param(params, "url")
        if not url:
            return self.unknown_macro(el, name, params, parent_tags)
        self.report.links.total += 1
        self.report.links.external += 1
        return self.block(f"<{url}>" if " " not in url else url, parent_tags)

    def file_macro(self, el, name, params, parent_tags) -> str:
        attachment = el.find("ri:attachment")
        if attachment is None:
            return self.unknown_macro(el, name, params, parent_tags)
        owner = attachment.find(["ri:page", "ri:blog-post"])
        file_name = attachment.get("ri:filename", "")
        return self.block(self.file_link(file_name, "", owner, parent_tags), parent_tags)

    def unknown_macro(self, el, name, params, parent_tags) -> str:
        body = self.rich_body(el, parent_tags)
        if body.strip():
            self.report.warn(f"macro {name!r} is not supported; its content was kept")
            return self.block(body, parent_tags)
        code = self.plain_body(el)
        if code.strip():
            self.report.warn(f"macro {name!r} is not supported; its text was kept as code")
            return _inline_code(code) if in_table(parent_tags) else f"\n\n{_fenced(code, '')}\n\n"
        self.report.warn(f"macro {name!r} is not supported; a placeholder was put in its place")
        return self.escape(f"({name or 'unnamed'} macro)", parent_tags)


MACROS = {
    "code": MacroMixin.code_macro,
    "noformat": MacroMixin.code_macro,
    "expand": MacroMixin.expand_macro,
    "quote": MacroMixin.quote_macro,
    "status": MacroMixin.status_macro,
    "toc": MacroMixin.toc_macro,
    "anchor": MacroMixin.anchor_macro,
    "children": MacroMixin.children_macro,
    "pagetree": MacroMixin.pagetree_macro,
    "include": MacroMixin.include_macro,
    "excerpt-include": MacroMixin.include_macro,
    "jira": MacroMixin.jira_macro,
    "widget": MacroMixin.widget_macro,
}
