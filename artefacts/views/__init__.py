"""The artefact list views: one module per kind, looking objects up through wikiapp.permissions."""
