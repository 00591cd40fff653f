"""A real SMTP server in this process (aiosmtpd): what the app sends arrives here."""

import re
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    # aiosmtpd checks its server by connecting to the port it was given, so it cannot be 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Collect every message the server receives; tests read, wait for and clear them."""

    def __init__(self):
        self._messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=_free_port())

    # aiosmtpd calls this for each message, on its own thread.
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self._messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def settings(self) -> dict:
        """The app config that sends mail here over SMTP."""
        return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

    def clear(self) -> None:
        with self._arrived:
            self._messages.clear()

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        with self._arrived:
            return [m for m in self._messages if to is None or to in m["X-Envelope-To"]]

    def wait_for(self, to: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """Return the messages to an address once `count` have arrived; fail after timeout."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [m for m in self._messages if to in m["X-Envelope-To"]]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{count} mail(s) to {to} did not arrive: {found}")
                self._arrived.wait(remaining)


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a mail."""
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def link_in(message: EmailMessage) -> str:
    """The path of the one link to this site that a mail's plain text asks the reader to open."""
    [link] = re.findall(r"^http://localhost(/accounts/\S+)$", text_of(message), re.MULTILINE)
    return link
