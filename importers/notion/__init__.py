"""Notion importer: read a "Markdown & CSV" or an "HTML" export into a SourceTree."""

from importers.notion.html import read_notion_html
from importers.notion.markdown import ExportEntry, read_notion_markdown, read_notion_zip

__all__ = ["ExportEntry", "read_notion_html", "read_notion_markdown", "read_notion_zip"]
