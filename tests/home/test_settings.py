"""Production settings: refuse to start unconfigured; media on object storage when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.core.files.storage import storages; "
    "backend = storages['default']; print(type(backend).__module__ + '.' + type(backend).__name__); "
    "print(settings.WAGTAILDOCS_SERVE_METHOD)"
)


def run(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIA_BUCKET", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update({"DJANGO_SETTINGS_MODULE": "settings.production", "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"})
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, cwd=ROOT)


def test_production_refuses_to_start_without_a_secret_key():
    result = run({"ALLOWED_HOSTS": "reseco.fr"})
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS doit être défini" in result.stderr


def test_media_on_local_disk_by_default():
    result = run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "reseco.fr"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.files.storage.filesystem.FileSystemStorage", "serve_view"]


def test_media_on_object_storage_when_a_bucket_is_configured():
    result = run(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "reseco.fr",
            "MEDIA_BUCKET": "reseco-media",
            "MEDIA_ENDPOINT_URL": "http://127.0.0.1:9",
            "MEDIA_ACCESS_KEY_ID": "key",
            "MEDIA_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert result.returncode == 0, result.stderr
    # Documents are still streamed through Django, so members-only files never leak by redirect.
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "serve_view"]
