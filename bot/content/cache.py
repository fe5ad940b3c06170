"""The loaded content pack kept on disk between starts, so a restart with unchanged content skips parsing (issue 8).

Reading, validating and indexing a few hundred files is most of a cold start. A pack that loaded without errors is
stored (pickle) under a key made of every content file's path, size and modification time, the code that builds
packs, the Python version and the day (review dates and event times are judged against it); the next start with the
same key takes the stored pack. Anything unexpected in the file (another key, a damaged or foreign file) means a full
load, never an error: the cache only ever saves time. The file lives in the data folder, beside the database and the
secret key, and is as trusted as they are.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path
from types import MappingProxyType

from bot.content.problems import Problem

log = logging.getLogger(__name__)
CACHE_FILE = "content-cache.pickle"
FORMAT = 1
# The code whose output is stored: a change to any of it makes stored packs stale.
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "core" / "model.py")


def _mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


# The pack's read-only mappings are MappingProxyType, which pickle cannot store by itself.
copyreg.pickle(MappingProxyType, lambda proxy: (_mapping, (dict(proxy),)))


def load_with_cache(root: Path, cache_dir: Path | None, *, today: dt.date):
    """(pack, problems) as bot.content.loader.load_content gives them, from the stored copy when it is current."""
    if cache_dir is None:
        return _load(root, today)
    path = cache_dir / CACHE_FILE
    key = fingerprint(root, today)
    try:
        with path.open("rb") as file:
            stored_key, pack, problems = pickle.load(file)
        if stored_key == key:
            return pack, problems
    except FileNotFoundError:
        pass
    except Exception as error:  # damaged, written by another version, not ours: load the files instead
        log.info("content cache %s not used (%s); loading the content files", path, type(error).__name__)
    pack, problems = _load(root, today)
    if not any(problem.severity == "error" for problem in problems):
        _store(path, (key, pack, problems))
    return pack, problems


def fingerprint(root: Path, today: dt.date) -> str:
    """What a stored pack must have been built from to be used now."""
    digest = hashlib.sha256(f"{FORMAT}\n{sys.version}\n{today.isoformat()}\n{root.resolve()}\n".encode())
    for folder in _CODE:
        for source in sorted(folder.rglob("*.py")) if folder.is_dir() else [folder]:
            digest.update(source.read_bytes())
    for path in sorted(root.rglob("*")):
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_file():
            digest.update(f"{path.relative_to(root)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _load(root: Path, today: dt.date) -> tuple[object, list[Problem]]:
    from bot.content.loader import load_content  # YAML, Markdown and phone number checks: only when files are read

    return load_content(root, today=today)


def _store(path: Path, value: tuple) -> None:
    """Write atomically (a reader never sees half a file), readable by this user only; a failure only logs."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.warning("content cache %s not written: %s", path, error)
        temporary.unlink(missing_ok=True)
