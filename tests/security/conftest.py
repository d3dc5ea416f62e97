from django.db import transaction

from wagtail.models import Site

import pytest


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, demo_snapshot):
    """The full demo site, restored once for a whole module and rolled back at its end (each
    test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot.restore_in_transaction()
        Site.objects.filter(is_default_site=True).update(hostname="testserver")
        yield
        transaction.set_rollback(True)
