"""The layers of DESIGN.md are enforced by import-linter (`.importlinter`, run by `make lint` and
CI). These tests prove the contracts hold today and that a forbidden import breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The suite's session fixtures restore migration data, which needs the test database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _packages():
    """The root packages the contracts name (`root_packages` of the config)."""
    packages = []
    for line in CONFIG.read_text().split("root_packages =", 1)[1].splitlines()[1:]:
        if not line.startswith("    "):
            return packages
        packages.append(line.strip())
    return packages


def _lint(cwd):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(CONFIG), "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def copy_of_the_apps(tmp_path_factory):
    """The apps' Python files, copied: a test may add an import without touching the repository."""
    target = tmp_path_factory.mktemp("apps")
    for package in _packages():
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("templates", "static", "locale", "__pycache__", "*.html", "*.txt"),
        )
    return target


def test_the_contracts_hold(copy_of_the_apps):
    result = _lint(copy_of_the_apps)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("base/blocks.py", "home.models", "Layers"),
        ("registrations/services.py", "events.models", "The registration engine imports no owner app"),
        ("payments/services.py", "reports.figures", "Nobody imports the readers"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(copy_of_the_apps, module, forbidden, contract):
    path = copy_of_the_apps / module
    original = path.read_text()
    path.write_text(original + f"\nimport {forbidden}  # noqa\n")
    try:
        result = _lint(copy_of_the_apps)
    finally:
        path.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
    assert forbidden in result.stdout
