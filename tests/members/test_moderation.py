"""Wagtail's sample moderation set-up, in French and working for the « Éditeurs »."""

from django.apps import apps
from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupApprovalTask, Page, Workflow, WorkflowTask

import pytest

from members.moderation import TASK_NAME, WORKFLOW_NAME, set_up_moderation
from tests.factories import EditorFactory, StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_fresh_migrate_gives_the_french_workflow_groups_and_root():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert not Workflow.objects.filter(name__contains="approval").exists()
    task = GroupApprovalTask.objects.get(name=TASK_NAME)
    assert list(task.groups.values_list("name", flat=True)) == ["Éditeurs"]
    assert WorkflowTask.objects.filter(workflow=workflow, task=task).exists()
    assert Page.get_first_root_node().get_workflow() == workflow
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert Page.get_first_root_node().title == "Racine"
    assert Collection.get_first_root_node().name == "Racine"


def test_an_editor_can_approve_what_a_writer_submits(home_page):
    page = StandardPageFactory(parent=home_page)
    writer = UserFactory(is_staff=True)
    page.save_revision(user=writer)
    state = page.get_workflow().start(page, writer)
    editor = EditorFactory()
    actions = [name for name, _label, _modal in state.current_task_state.task.specific.get_actions(page, editor)]
    assert "approve" in actions
    assert state.current_task_state.task.specific.get_actions(page, UserFactory()) == []


def test_sample_groups_with_people_are_renamed_and_it_runs_twice():
    Workflow.objects.filter(name=WORKFLOW_NAME).update(name="Moderators approval")
    GroupApprovalTask.objects.filter(name=TASK_NAME).update(name="Moderators approval")
    moderators = Group.objects.create(name="Moderators")
    moderators.user_set.add(UserFactory())
    Group.objects.create(name="Editors")
    set_up_moderation(apps)
    set_up_moderation(apps)
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    task = GroupApprovalTask.objects.get(name=TASK_NAME)
    assert set(task.groups.values_list("name", flat=True)) == {"Éditeurs", "Modérateurs"}
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


def test_inline_panels_read_well_in_french(client, home_page):
    from django.contrib.auth import get_user_model

    from tests.factories import WorkingGroupIndexPageFactory

    index = WorkingGroupIndexPageFactory(parent=home_page)
    admin = get_user_model().objects.create_superuser(email="admin@reseco.fr", password="x")
    client.force_login(admin)
    body = client.get(f"/admin/pages/add/workinggroups/workinggrouppage/{index.pk}/").content.decode()
    assert "Ajouter : période d&#x27;activité" in body or "Ajouter : période d'activité" in body
    assert "un(e)" not in body


def test_the_demo_gives_the_french_names(demo_site):
    assert Page.get_first_root_node().title == "Racine"
    assert list(GroupApprovalTask.objects.values_list("name", flat=True)) == [TASK_NAME]
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert Group.objects.get(name="Éditeurs").user_set.exists()
