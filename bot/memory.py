"""Memory in a long-running server: what start-up loaded is frozen out of the garbage collector's rounds, and the
C allocator keeps few arenas.

The content pack, compiled catalogs, CLDR data and search index are some 125 000 objects that live as long as the
process. Python's full collections walk every tracked object, so under load each one took 75-160 ms, about once a
second, and those pauses were the slowest answers of bench/load.py. `gc.freeze()` moves everything alive into a
generation the collector never walks; objects made while serving are collected as before, and frozen ones are still
freed as soon as nothing refers to them.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import time

log = logging.getLogger(__name__)
# glibc's mallopt() parameter for the number of malloc arenas (malloc.h).
_M_ARENA_MAX = -8
SERVER_ARENAS = 2


def fewer_arenas() -> None:
    """Let glibc's malloc keep at most SERVER_ARENAS arenas; call before any thread starts.

    glibc gives threads that allocate arenas of their own, up to 8 per core; the server's SQLite connections and
    loading threads each get one, and memory freed in one arena is not reused by another. Measured under
    bench/load.py: peak RSS 143-148 MiB with the default, 140 MiB with two arenas, updates/s within the runs' noise.
    MALLOC_ARENA_MAX in the environment wins (the Dockerfile sets it); other C libraries are left alone.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_ARENA_MAX, SERVER_ARENAS)
    except (OSError, AttributeError):  # not glibc
        log.debug("not glibc: malloc arenas left as they are")


def freeze_loaded() -> None:
    """Freeze everything alive; call once everything is loaded, before serving.

    No collection first: the collector has run all through loading, and one more found nothing to free on a restart
    (0 objects) yet cost 55-70 ms of the cold start.
    """
    gc.freeze()
    log.debug("froze %d objects", gc.get_freeze_count())


def refreeze() -> None:
    """After a content reload: a pack that was frozen and has reference cycles is freed only by a collection that
    sees it, so unfreeze, collect, and freeze again (one pause per reload). Does nothing in a process that froze
    nothing (tests, the CLI)."""
    if gc.get_freeze_count():
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        log.debug("froze %d objects again in %.0f ms", gc.get_freeze_count(), (time.perf_counter() - started) * 1000)
