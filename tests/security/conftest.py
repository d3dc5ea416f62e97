from io import StringIO

from django.core.management import call_command
from django.db import transaction

from wagtail.models import Site

import pytest


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The full demo site, loaded once for a whole module and rolled back at its end (each
    test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        Site.objects.filter(is_default_site=True).update(hostname="testserver")
        yield
        transaction.set_rollback(True)
