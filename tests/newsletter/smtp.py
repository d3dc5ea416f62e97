"""A real SMTP server for the tests and the benchmark (aiosmtpd, in a thread of this process):
it records every message it accepts; ``before_accept(envelope)`` may refuse one by returning
an SMTP reply (e.g. "451 …"), after doing what a test needs at that instant."""

import email
import logging
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self, *, keep=True):
        self.messages = []  # (recipients, bytes)
        self.count = 0
        self.keep = keep
        self.before_accept = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.before_accept is not None:
            reply = self.before_accept(envelope)
            if reply:
                return reply
        with self.lock:
            self.count += 1
            if self.keep:
                self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            else:  # the benchmark: addresses only
                self.messages.append((list(envelope.rcpt_tos), b""))
        return "250 Message accepted for delivery"

    def parsed(self):
        return [(to, email.message_from_bytes(data, policy=policy.default)) for to, data in self.messages]

    def recipients(self):
        return [address for to, _data in self.messages for address in to]


class SMTPServer:
    """``with SMTPServer() as server:`` serves on 127.0.0.1:server.port."""

    def __init__(self, *, keep=True):
        self.recorder = Recorder(keep=keep)
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, data_size_limit=0)

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per connection otherwise
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def settings(self):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
