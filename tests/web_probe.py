"""A step for :func:`selfeval_xl.web.isolated.run_isolated` to overrun (imported by its child process,
so kept free of heavy imports): it starts a process of its own, says its id, and sleeps."""
import subprocess
import time
from pathlib import Path


def start_and_sleep(pidfile: str) -> None:
    worker = subprocess.Popen(["sleep", "300"])
    Path(pidfile).write_text(str(worker.pid))
    time.sleep(300)


def crash() -> None:
    """Ends its own process at once, as a native abort in a reader would."""
    import os

    os._exit(134)


def sleep_for(seconds: float) -> None:
    time.sleep(seconds)
