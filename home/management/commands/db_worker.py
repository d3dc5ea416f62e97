"""django-tasks-db's ``db_worker``, with quiet task logs by default.

At its default verbosity the worker logs every task's start and end (about 1,100 lines while
the demo's background work runs under `make run`, drowning the e-mails). Here verbosity 1 logs
warnings and failures only; ``-v 2`` shows every task, ``-v 0`` nothing but critical errors.
"""

import logging

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        if verbosity == 1:
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
