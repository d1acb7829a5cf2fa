"""Wait until a URL answers (HTTP < 500), or fail after a number of seconds.

Used by the start scripts to wait on the servers' health endpoints, never on a fixed sleep.
    python scripts/wait_for.py URL SECONDS [PID]
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def main() -> int:
    url, seconds = sys.argv[1], float(sys.argv[2])
    pid = int(sys.argv[3]) if len(sys.argv) > 3 else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return 1
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return 0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return 1


if __name__ == "__main__":
    sys.exit(main())
