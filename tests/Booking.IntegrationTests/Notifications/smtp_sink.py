"""A real SMTP server on loopback for the notification tests (Debian's python3-aiosmtpd).

Each message received is written to DIR as <uuid>.eml (atomically: .tmp then rename) for the tests to read,
with two headers of its own first: X-Envelope-To (the accepted recipients) and X-Smtp-Peer (the connection).
A recipient whose local part starts with "reject" is refused with 550 (a permanent failure);
one starting with "busy" gets 451 (temporary). Stop the process to simulate SMTP being down. A "reject" address
listed in DIR/fixed-mailboxes (one a line) is accepted: its mailbox has been fixed.

usage: python3 smtp_sink.py PORT DIR
"""
import asyncio
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class FileHandler:
    def __init__(self, directory):
        self.directory = directory

    def fixed(self):
        try:
            with open(os.path.join(self.directory, "fixed-mailboxes"), encoding="utf-8") as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject") and address.lower() not in self.fixed():
            return "550 5.1.1 Mailbox unavailable"
        if local.startswith("busy"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        temp = os.path.join(self.directory, name + ".tmp")
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(temp, "wb") as f:
            f.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode("ascii"))
            # Which connection brought it (the client's address and port): tests tell a shared connection by it.
            f.write(("X-Smtp-Peer: %s:%s\r\n" % tuple(session.peer[:2])).encode("ascii"))
            f.write(data)
        os.rename(temp, os.path.join(self.directory, name + ".eml"))
        return "250 OK"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(FileHandler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        # Until stdin closes or the process is killed.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
