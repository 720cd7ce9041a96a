"""A Redis server of one's own, on a Unix socket, for the benchmarks and the reliability tests.

Stopping it, filling it or emptying it disturbs nobody: not the Redis of the machine, which a
developer or another test run may be using. Needs the ``redis-server`` binary, which every
machine that runs GUP has beside its Redis.
"""

import shutil
import subprocess
import threading
from pathlib import Path

import redis

#: Only ever waited for in full when something is broken.
START_PATIENCE_SECONDS = 60


class PrivateRedis:
    def __init__(self, folder: Path):
        self.socket = Path(folder) / "redis.sock"
        self.url = f"unix://{self.socket}?db=0"
        self.process = None

    def start(self) -> "PrivateRedis":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: install Debian's redis-server.")
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(self.socket), "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _attempt in range(START_PATIENCE_SECONDS * 10):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                threading.Event().wait(0.1)  # starting: poll, bounded above
        self.stop()
        raise RuntimeError("the private Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=START_PATIENCE_SECONDS)
            self.process = None
        self.socket.unlink(missing_ok=True)

    def connection(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def queues(self, timeout: int = 60) -> dict:
        """``RQ_QUEUES`` for every GUP queue on this server."""
        from gup.jobs import QUEUES

        return {name: {"URL": self.url, "DEFAULT_TIMEOUT": timeout} for name in QUEUES}
