#!/usr/bin/env python
"""Django's command-line utility.

``site/`` is put on the import path because the standard library owns the module name
``site``: the project's modules are ``settings``, ``urls`` and ``wsgi``.
"""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
