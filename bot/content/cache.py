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
import sys
from pathlib import Path
from types import MappingProxyType

from bot import stored as stored_files
from bot.content.problems import Problem

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
    stored = stored_files.read(path)
    if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key:
        return stored[1], stored[2]
    pack, problems = _load(root, today)
    if not any(problem.severity == "error" for problem in problems):
        stored_files.write(path, (key, pack, problems))
    return pack, problems


def fingerprint(root: Path, today: dt.date) -> str:
    """What a stored pack must have been built from to be used now."""
    digest = hashlib.sha256(f"{FORMAT}\n{sys.version}\n{today.isoformat()}\n{root.resolve()}\n".encode())
    for folder in _CODE:
        for source in sorted(folder.rglob("*.py")) if folder.is_dir() else [folder]:
            digest.update(source.read_bytes())
    for name, mtime_ns, size in file_states(root):
        digest.update(f"{name}\0{size}\0{mtime_ns}\n".encode())
    return digest.hexdigest()


def file_states(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under `root` with its modification time and size: what an editor's save changes."""
    found = []
    for path in root.rglob("*"):
        try:
            info = path.stat()
        except OSError:  # deleted between listing and stat: the next look sees it gone
            continue
        if path.is_file():
            found.append((str(path.relative_to(root)), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def _load(root: Path, today: dt.date) -> tuple[object, list[Problem]]:
    from bot.content.loader import load_content  # YAML, Markdown and phone number checks: only when files are read

    return load_content(root, today=today)

