"""Confluence and Notion importers: read an export into a neutral tree, then store it."""
