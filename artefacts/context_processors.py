from artefacts import kinds as registry


def kinds(request) -> dict:
    """The artefact kinds, for the space navigation every page shows."""
    return {"artefact_kinds": registry.artefacts()}
