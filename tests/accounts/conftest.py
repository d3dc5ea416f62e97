import re

from django.core import mail

import pytest

from tests.factories import MemberFactory, OrganisationFactory


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs a block with its on-commit e-mails sent; returns the messages sent meanwhile."""

    class Sent:
        def __call__(self):
            return _Block()

    class _Block:
        def __enter__(self):
            self.start = len(mail.outbox)
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return self

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)
            self.messages = mail.outbox[self.start :]

    return Sent()


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


@pytest.fixture
def nantes(db):
    return OrganisationFactory(name="Ville de Nantes")


@pytest.fixture
def colleague(nantes):
    """A person already at Nantes with the organisation's domain."""
    return MemberFactory(email="agent@nantes.fr", organisation=nantes)


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits and per-address e-mail counts live in the process's cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
