from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from jointpurchases.models import JointPurchaseIndexPage, JointPurchasePage


class TestJointPurchaseTree(WagtailPageTestCase):
    def test_index_is_a_singleton_under_home(self):
        self.assertAllowedParentPageTypes(JointPurchaseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(JointPurchaseIndexPage, {JointPurchasePage})
        assert JointPurchaseIndexPage.max_count == 1

    def test_purchases_live_in_the_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(JointPurchasePage, {JointPurchaseIndexPage})
        self.assertAllowedSubpageTypes(JointPurchasePage, set())
