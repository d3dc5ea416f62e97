"""Wagtail's sample set-up, in French and working: its migrations create groups « Editors » and
« Moderators », a root page and collection called « Root », and a workflow « Moderators
approval » whose one task waits for the (empty) « Moderators » group, so nobody could approve.

``set_up_moderation(apps)`` takes an app registry (a migration's historical one, or
``django.apps.apps`` for ``load_demo``) and is idempotent."""

from .models import EDITORS_GROUP

WORKFLOW_NAME = "Relecture avant publication"
TASK_NAME = "Validation par les Éditeurs"
# Wagtail's sample groups: renamed when someone is in them, removed when empty.
SAMPLE_GROUPS = {"Moderators": "Modérateurs", "Editors": "Rédacteurs"}
ROOT_TITLE = "Racine"


def set_up_moderation(apps):
    Group = apps.get_model("auth", "Group")
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    approvers = [editors]
    for english, french in SAMPLE_GROUPS.items():
        group = Group.objects.filter(name=english).first()
        if group is None:
            continue
        if group.user_set.exists():
            group.name = french
            group.save(update_fields=["name"])
            if french == "Modérateurs":
                approvers.append(group)
        else:
            group.delete()
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="Root").update(title=ROOT_TITLE)
    apps.get_model("wagtailcore", "Collection").objects.filter(depth=1, name="Root").update(name=ROOT_TITLE)
    task = _approval_task(apps)
    task.groups.add(*approvers)
    workflow = _workflow(apps, task)
    root = apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()
    if root is not None:
        apps.get_model("wagtailcore", "WorkflowPage").objects.get_or_create(page=root, defaults={"workflow": workflow})


def _approval_task(apps):
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task = GroupApprovalTask.objects.filter(name__in=[TASK_NAME, "Moderators approval"]).order_by("pk").first()
    if task is None:
        content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    task.name, task.active = TASK_NAME, True
    task.save(update_fields=["name", "active"])
    return task


def _workflow(apps, task):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    workflow = Workflow.objects.filter(name__in=[WORKFLOW_NAME, "Moderators approval"]).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    workflow.name, workflow.active = WORKFLOW_NAME, True
    workflow.save(update_fields=["name", "active"])
    apps.get_model("wagtailcore", "WorkflowTask").objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    return workflow
