"""The newcomer's first minutes: `make run` finds e-mails one file per message under var/mail/,
quiet task logs, no npm, and the public address where it serves."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def dev_settings(*names):
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "EMAIL_FILE_PATH", "SITE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "settings.dev", "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"})
    probe = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[: len(names)]


def test_dev_writes_each_email_to_a_file_under_var_mail():
    backend, folder = dev_settings("EMAIL_BACKEND", "EMAIL_FILE_PATH")
    assert backend == "home.mail.OneFilePerMessageBackend" and folder == str(ROOT / "var" / "mail")


def test_one_file_per_message(tmp_path):
    with (
        override_settings(EMAIL_BACKEND="home.mail.OneFilePerMessageBackend", EMAIL_FILE_PATH=str(tmp_path)),
        mail.get_connection() as connection,
    ):
        mail.EmailMessage("Inscription confirmée", "Bonjour", to=["a@exemple.fr"], connection=connection).send()
        mail.EmailMessage("Date annulée", "Bonjour", to=["b@exemple.fr"], connection=connection).send()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(name.endswith(".eml") for name in files)
    assert any("inscription-confirmee" in name for name in files) and any("date-annulee" in name for name in files)


def test_worker_logs_failures_not_every_task():
    from django_tasks_db.compat import TASKS_LOGGER

    from home.management.commands.db_worker import Command

    Command().configure_logging(1)
    assert logging.getLogger(TASKS_LOGGER).getEffectiveLevel() == logging.WARNING
    Command().configure_logging(2)
    assert logging.getLogger(TASKS_LOGGER).getEffectiveLevel() == logging.DEBUG


def test_make_run_needs_no_npm_and_serves_at_site_url():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout
    assert "npm" not in plan
    printed = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "-f", "-", "show", "PORT=8123"],
        input="show:\n\t@echo $$SITE_URL\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    ).stdout.strip()
    assert printed == "http://127.0.0.1:8123"
