from io import StringIO

import pytest
from django.core.management import call_command

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


@pytest.fixture
def demo(db):
    """The demo knowledge base (demo/seeds), loaded afresh for each test that reads it.

    Function-scoped on purpose: loading takes about 0.3 s, and a copy shared across tests would
    have to live outside the per-test transaction, where every other test would see its rows.
    """
    call_command("load_demo", stdout=StringIO())
