"""The read-replica router: public reads on "replica", writes, the admin and staff on "default".

The test settings define "replica" as a mirror of the test database (the same rows under a
second connection); these tests install the router. They commit (transaction=True) so the
replica's connection sees the rows the primary's wrote.
"""

from contextlib import ExitStack, contextmanager

import pytest
from django.db import connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from claims.models import Claim, Topic
from core.api.keys import PartnerKey
from core.db_router import PrimaryReplicaRouter, replica_reads
from tests.admin_helpers import form_data
from tests.factories import ClaimFactory, ClaimTopicFactory, QuoteFactory, TopicFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.usefixtures("routed"),
]


@pytest.fixture
def routed():
    with override_settings(DATABASE_ROUTERS=["core.db_router.PrimaryReplicaRouter"]):
        yield


@pytest.fixture
def topic():
    topic = TopicFactory(slug="china-role")
    claim = ClaimFactory(summary="China holds the key.")
    ClaimTopicFactory(claim=claim, topic=topic)
    QuoteFactory(claim=claim)
    return topic


class Queries:
    """The SQL each database ran inside `capture()`."""

    def __init__(self):
        self.on = {}

    @contextmanager
    def capture(self):
        with ExitStack() as stack:
            captured = {
                alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in ("default", "replica")
            }
            yield self
        self.on = {alias: [q["sql"] for q in queries] for alias, queries in captured.items()}

    def touching(self, alias, table):
        return [sql for sql in self.on[alias] if f'"{table}"' in sql]


def test_an_anonymous_readers_page_is_read_from_the_replica(topic):
    queries = Queries()

    with queries.capture():
        response = Client().get(topic.get_absolute_url())

    assertContains(response, "China holds the key.")
    assert queries.touching("replica", "claims_claim")
    assert queries.on["default"] == []


def test_an_admin_save_reads_and_writes_the_primary_only(topic, editor_client):
    claim = Claim.objects.get()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url)) | {"summary": "China may hold the key."}
    queries = Queries()

    with queries.capture():
        response = editor_client.post(url, data)

    assert response.status_code == 302
    assert [sql for sql in queries.touching("default", "claims_claim") if "UPDATE" in sql]
    assert queries.on["replica"] == []
    assert Claim.objects.get().summary == "China may hold the key."


def test_staff_read_public_pages_from_the_primary(topic, editor_client):
    queries = Queries()

    with queries.capture():
        response = editor_client.get(topic.get_absolute_url())

    assertContains(response, "China holds the key.")
    assert queries.touching("default", "claims_claim")
    assert queries.on["replica"] == []


def test_a_post_to_a_public_url_uses_the_primary(topic):
    queries = Queries()

    with queries.capture():
        Client().post(topic.get_absolute_url())

    assert queries.touching("default", "claims_topic")
    assert queries.on["replica"] == []


def test_reads_after_a_write_go_to_the_primary(topic):
    router = PrimaryReplicaRouter()

    with replica_reads():
        assert router.db_for_read(Topic) == "replica"
        TopicFactory()
        assert router.db_for_read(Topic) == "default"

    with replica_reads():  # the next request starts on the replica again
        assert router.db_for_read(Topic) == "replica"


def test_reads_inside_a_transaction_go_to_the_primary(topic):
    router = PrimaryReplicaRouter()

    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(Topic) == "default"
        assert router.db_for_read(Topic) == "replica"


def test_api_keys_and_sessions_are_always_read_from_the_primary():
    from django.contrib.sessions.models import Session

    router = PrimaryReplicaRouter()

    with replica_reads():
        assert router.db_for_read(PartnerKey) == "default"
        assert router.db_for_read(Session) == "default"


def test_outside_a_request_reads_go_to_the_primary():
    assert PrimaryReplicaRouter().db_for_read(Topic) == "default"


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()

    assert router.allow_migrate("default", "claims")
    assert not router.allow_migrate("replica", "claims")
