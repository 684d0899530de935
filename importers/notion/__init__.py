"""Notion importer: read a "Markdown & CSV" export into a SourceTree."""

from importers.notion.markdown import ExportEntry, read_notion_markdown, read_notion_zip

__all__ = ["ExportEntry", "read_notion_markdown", "read_notion_zip"]
