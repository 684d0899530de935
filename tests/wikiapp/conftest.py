"""Fixtures the wikiapp suites share beyond the project-wide ones."""

import pytest

from wikiapp import actions


@pytest.fixture
def other_space(people):
    """A space that only the outsider belongs to."""
    return actions.create_space(slug="secret", name="Secret", created_by=people.outsider)
