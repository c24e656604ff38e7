#!/usr/bin/python3
"""Peers that misbehave, for the PACS failure tests: a real socket on 127.0.0.1
that says nothing, answers malformed DICOMweb JSON, or cuts a WADO-RS study
off mid-transfer. Usage: badpeer.py MODE PORTFILE (writes the port it bound)."""
import socket, sys, threading, time

mode, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
open(portfile, "w").write(str(srv.getsockname()[1]))

def respond(conn):
    try:
        conn.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        if mode == "silent":
            time.sleep(60)
        elif mode == "badjson":
            body = b'[{"0020000D": {"vr": "UI", "Value": ["1.2.3"]}, '
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        elif mode == "truncated":
            part = open(sys.argv[3], "rb").read()
            body = b"--XYZ\r\nContent-Type: application/dicom\r\n\r\n" + part[: len(part) // 2]
            # Announce the whole length, send half, hang up: a peer that drops mid-transfer.
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=XYZ\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (len(body) * 2) + body)
    finally:
        conn.close()

while True:
    c, _ = srv.accept()
    threading.Thread(target=respond, args=(c,), daemon=True).start()
