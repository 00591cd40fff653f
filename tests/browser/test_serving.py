"""The live server the browser tests use: a browser leaving a page mid-load leaks nothing."""

import gc
import socket
import struct
import time

from tests.browser.conftest import serving


def test_a_connection_dropped_mid_response_leaves_no_file_open(live_app):
    with serving(live_app) as address:
        port = int(address.rsplit(":", 1)[1])
        for _ in range(50):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(b"GET /static/js/forms.js HTTP/1.1\r\nHost: test\r\n\r\n")
            connection.recv(1)  # the answer has begun
            # Close with a reset, as a browser does when it leaves a page mid-load.
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        time.sleep(0.5)  # let the server's threads meet the dropped connections
    # An unclosed file warns as it is collected; pytest fails the test on that warning.
    gc.collect()
