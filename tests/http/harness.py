"""A small harness for end-to-end tests against the real `sen` binary.

Each Server gets its own temporary data directory and a free loopback port.
Tests are plain functions named test_*; a failing assert fails the case, and
raising Skip("reason") marks it skipped (run.py counts and prints it). Skip is
for what this machine or build cannot do (a release build has no fault
injection, only root can change users), never for a feature that is missing:
that is a failure.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Server(args=TRUSTED_PROXY): the server believes X-Forwarded-For from 127.0.0.1,
# so each simulated visitor can come from an address of its own.
TRUSTED_PROXY = ["--set", "server.trusted_proxy=127.0.0.1"]

# What ASan, LeakSanitizer and UBSan write into the server's log when they find something.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "SUMMARY: UndefinedBehaviorSanitizer")


class Skip(Exception):
    """The case cannot run here; the message says why."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class Server:
    def __init__(self, sen, demo=True, env=None, args=None, data=None, init=True, ini=None):
        self.sen = sen
        self.own_data = data is None
        self.data = data or tempfile.mkdtemp(prefix="sen-e2e-")
        self.port = free_port()
        self.env = dict(os.environ)
        # The default configuration, as a user gets it (issue 10): started
        # as root (CI runs the tests as root), the server hands its data
        # directory to `sen` or `nobody` and drops to it, and `sen` commands
        # run beside it as root. Only a test that needs otherwise passes
        # SEN_SERVER_USER=none, and says why.
        self.env.pop("SEN_SERVER_USER", None)
        self.env.update(env or {})
        self.args = args or []
        self.proc = None
        self.log = None
        if init:
            cmd = [sen, "init", "--data", self.data] + (["--demo"] if demo else [])
            r = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
            assert r.returncode == 0, f"sen init failed: {r.stderr}"
        if ini is not None:
            with open(os.path.join(self.data, "sen.ini"), "w", encoding="utf-8") as f:
                f.write(ini)

    def run(self, *args, input=None):
        """Runs another sen command on the same data directory."""
        return subprocess.run([self.sen, *args], env=self.env, capture_output=True,
                              text=True, input=input)

    def start(self, listen=None):
        self.log = open(os.path.join(self.data, "server.log"), "w")
        cmd = [self.sen, "serve", "--data", self.data,
               "--listen", listen or f"127.0.0.1:{self.port}"] + self.args
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"sen serve exited with {self.proc.returncode}: {self.read_log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("sen serve did not start listening")
        # The port is bound before the server drops root and opens its
        # database; requests wait for that. One answered request means it
        # is ready (and has logged what it does before answering).
        try:
            self.request("HEAD", "/robots.txt", timeout=30)
        except OSError:
            if self.proc.poll() is not None:
                raise AssertionError(f"sen serve exited with {self.proc.returncode}: {self.read_log()}")
        return self

    def read_log(self):
        with open(os.path.join(self.data, "server.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        self.log.close()
        return rc

    def stop_cleanly(self, died="the server died"):
        """Stops the server, which must still be running (else: died); it must exit 0
        and its log must hold no sanitizer report."""
        assert self.proc.poll() is None, died
        rc = self.stop()
        log = self.read_log()
        for marker in SANITIZER_MARKERS:
            assert marker not in log, log[max(0, log.find(marker) - 200):log.find(marker) + 2000]
        assert rc == 0, (rc, log[-2000:])

    def close(self):
        self.stop()
        if self.own_data:
            shutil.rmtree(self.data, ignore_errors=True)

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = dict(headers or {})
                headers.setdefault("Content-Type", "application/json")
            elif isinstance(body, str):
                body = body.encode()
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return Response(r.status, hdrs, data)
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def published_articles(self):
        """Every article the public API lists, walked page by page."""
        items, after = [], None
        while True:
            j = self.get("/api/v1/articles" + (f"?after={after}" if after else "")).json()
            items += j["items"]
            after = j["next"]
            if not after:
                return items

    def db(self):
        """A connection to the server's database that waits up to 10 s for a lock."""
        c = sqlite3.connect(os.path.join(self.data, "sen.db"), timeout=10)
        c.execute("PRAGMA busy_timeout = 10000")
        return c

    def wait_media_processed(self, mid, timeout):
        """Waits until picture mid has no job left; fails the test when its job
        failed or is still there after timeout seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.db() as c:
                row = c.execute("SELECT state, error FROM media_jobs WHERE media_id = ?",
                                (mid,)).fetchone()
            if row is None:
                return
            assert row[0] == 0, f"processing failed: {row[1]} {row}"
            time.sleep(0.1)
        raise AssertionError("picture not processed in time")

    def raw(self, data, timeout=5):
        """Sends raw bytes and returns the raw reply (for malformed requests)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            return read_until_closed(s, resets=())


def vm_rss_kb(pid):
    """The resident memory of process pid, in KiB (0 when /proc does not say)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read_until_closed(sock, resets=(ConnectionResetError,)):
    """What sock receives until the peer closes or the socket's timeout passes.
    A reset of a kind in resets ends the reply like a close; any other is raised."""
    chunks = []
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                break
            chunks.append(d)
    except (socket.timeout, *resets):
        pass
    return b"".join(chunks)


def send_chunks_until_answered(sock, chunk, limit, each=None):
    """Sends chunk as chunked-encoding frames until the server answers (or closes),
    the connection breaks, or limit bytes have gone; calls each(sent) after every
    frame. Returns (bytes sent, the whole reply)."""
    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    sent, reply = 0, b""
    try:
        while sent < limit:
            sock.sendall(frame)
            sent += len(chunk)
            if each is not None:
                each(sent)
            sock.setblocking(False)
            try:
                d = sock.recv(65536)
                reply += d
                if d == b"" or b"\r\n\r\n" in reply:
                    break
            except BlockingIOError:
                pass
            finally:
                sock.setblocking(True)
                sock.settimeout(5)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent, reply + read_until_closed(sock)


def raw_status(reply):
    line = reply.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
