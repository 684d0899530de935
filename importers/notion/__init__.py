"""Notion importer: read a "Markdown & CSV" or an "HTML" export into a SourceTree."""

from importers.notion.html import read_notion_html
from importers.notion.markdown import read_notion_markdown

__all__ = ["read_notion_html", "read_notion_markdown"]
