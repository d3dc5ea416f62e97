"""Development e-mail: one file per message under ``EMAIL_FILE_PATH`` (var/mail/), named by time
and subject, instead of the console where they drowned among the server's and worker's logs."""

import datetime
import itertools
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.text import slugify

_counter = itertools.count(1)


class OneFilePerMessageBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{next(_counter)}-{slugify(message.subject)[:60] or 'message'}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
        return len(email_messages)
