"""The task backend of `load_demo`: background work runs inline, so the demo is complete when the
command ends, but index updates wait for the end of each app's step.

Creating and publishing one page saves it three times (creation, revision, publication), and
each save asks for the same search-index and reference-index update: run once per object, after
the step's last save, they cost a third as much and give the same index."""

import json

from django.apps import apps

from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# Tasks whose outcome depends only on the object's final state, so a later run replaces an earlier one.
INDEX_TASKS = frozenset(
    {
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
    }
)


class DemoTaskBackend(ImmediateBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.pending = {}

    def enqueue(self, task, args, kwargs):
        if task.module_path not in INDEX_TASKS:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        key = (task.module_path, json.dumps(args), json.dumps(kwargs, sort_keys=True))
        if key not in self.pending:
            self.pending[key] = TaskResult(
                task=task,
                id=get_random_id(),
                status=TaskResultStatus.READY,
                enqueued_at=None,
                started_at=None,
                last_attempted_at=None,
                finished_at=None,
                args=args,
                kwargs=kwargs,
                backend=self.alias,
                errors=[],
                worker_ids=[],
            )
        return self.pending[key]

    def run_index_updates(self):
        """Both index tasks take (app label, model name, pk); an object the step deleted after
        saving it has nothing left to index (its deletion already cleaned the indexes)."""
        while self.pending:
            _, result = self.pending.popitem()
            app_label, model_name, pk = result.args
            if apps.get_model(app_label, model_name)._base_manager.filter(pk=pk).exists():
                self._execute_task(result)


def run_index_updates():
    task_backends["default"].run_index_updates()
