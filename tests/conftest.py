import pytest

from tests.factories import ContributorFactory, EditorFactory


@pytest.fixture
def editor(db):
    """A staff user in the Editors group (not a superuser)."""
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor(db):
    """A staff user in the Contributors group."""
    return ContributorFactory()


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client
