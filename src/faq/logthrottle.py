"""Warnings that could repeat on every request (a database or Redis down): at most one per
interval per kind, with the number left out since the last one."""

from __future__ import annotations

import logging
import threading
import time


class ThrottledLog:
    """`warning(key, message, *args)` logs the first time and then at most once every
    `interval` seconds per key; later lines say how many were suppressed meanwhile."""

    def __init__(self, logger: logging.Logger, interval: float = 60.0) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._lock = threading.Lock()

    def warning(self, key: str, message: str, *args: object) -> bool:
        """Log unless one was logged for `key` less than `interval` seconds ago; True if it was."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                self._suppressed[key] = self._suppressed.get(key, 0) + 1
                return False
            self._last[key] = now
            suppressed = self._suppressed.pop(key, 0)
        if suppressed:
            message += " (%d more like it not logged)"
            args = (*args, suppressed)
        self.logger.warning(message, *args)
        return True
