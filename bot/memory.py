"""The garbage collector in a long-running server: what start-up loaded is frozen out of its rounds.

The content pack, compiled catalogs, CLDR data and search index are some 125 000 objects that live as long as the
process. Python's full collections walk every tracked object, so under load each one took 75-160 ms, about once a
second, and those pauses were the slowest answers of bench/load.py. `gc.freeze()` moves everything alive into a
generation the collector never walks; objects made while serving are collected as before, and frozen ones are still
freed as soon as nothing refers to them.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def freeze_loaded() -> None:
    """Collect start-up's garbage, then freeze everything alive; call once everything is loaded, before serving."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.debug("froze %d objects in %.0f ms", gc.get_freeze_count(), (time.perf_counter() - started) * 1000)


def refreeze() -> None:
    """After a content reload: a pack that was frozen and has reference cycles is freed only by a collection that
    sees it, so unfreeze, collect, and freeze again (one pause per reload). Does nothing in a process that froze
    nothing (tests, the CLI)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        freeze_loaded()
