"""A small progress line on standard error, quiet when stderr is not a terminal and the job is short."""
from __future__ import annotations

import sys
import time


class ProgressLine:
    def __init__(self, label: str, *, stream=None, min_interval: float = 0.2):
        self.label = label
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        if not self.stream.isatty() and now - self.started < 2 and done < total:
            return  # short jobs in scripts print nothing
        self._last = now
        rate = done / max(now - self.started, 1e-9)
        if total:
            width = 30
            filled = int(width * done / total)
            bar = "#" * filled + "-" * (width - filled)
            text = f"{self.label} [{bar}] {done}/{total} ({rate:,.0f}/s)"
        else:
            text = f"{self.label} {done} ({rate:,.0f}/s)"
        end = "\r" if self.stream.isatty() else "\n"
        self.stream.write(text + end)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()
