"""Confluence importers: HTML space export and XML site/space backup."""
