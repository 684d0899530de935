from artefacts.kinds.base import Kind

KIND = Kind(key="page", label="Page", plural="Pages", list_slug="", go_key="", is_artefact=False)
