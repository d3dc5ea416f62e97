from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from events.models import EventIndexPage
from exchange.models import ExchangeIndexPage
from home.models import HomePage, StandardPage
from jointpurchases.models import JointPurchaseIndexPage
from newsletter.models import NewsletterIndexPage
from resources.models import ResourceIndexPage
from search.models import SearchPage
from trainings.models import TrainingIndexPage
from workinggroups.models import WorkingGroupIndexPage, WorkingGroupPage

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def test_home_page_lives_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(StandardPage, HomePage)  # a home page cannot be nested

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                EventIndexPage,
                TrainingIndexPage,
                WorkingGroupIndexPage,
                ResourceIndexPage,
                SearchPage,
                ExchangeIndexPage,
                JointPurchaseIndexPage,
                NewsletterIndexPage,
            },
        )

    def test_sections_are_singletons_under_home(self):
        for index in (
            EventIndexPage,
            TrainingIndexPage,
            WorkingGroupIndexPage,
            ResourceIndexPage,
            SearchPage,
            ExchangeIndexPage,
            JointPurchaseIndexPage,
            NewsletterIndexPage,
        ):
            self.assertAllowedParentPageTypes(index, {HomePage})
            assert index.max_count == 1

    def test_working_groups_live_in_their_index(self):
        self.assertCanCreateAt(WorkingGroupIndexPage, WorkingGroupPage)
        self.assertCanNotCreateAt(HomePage, WorkingGroupPage)
        self.assertAllowedSubpageTypes(WorkingGroupPage, set())

    def test_standard_pages_nest(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
