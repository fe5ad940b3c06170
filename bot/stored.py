"""Derived data kept in the data folder between starts (the loaded content pack, compiled catalogs).

Such a file only ever saves time: reading one that is missing, damaged or from another version gives None and the
caller rebuilds; writing one that fails is logged and forgotten. Files are written whole or not at all (a temporary
file, then a rename) and readable by this user only, like the database and the secret key beside them, which they are
as trusted as (they are pickles).
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def read(path: Path) -> Any | None:
    """What was stored at `path`, or None when there is nothing usable."""
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # damaged, written by another version, not ours
        log.info("%s not used (%s); building it again", path, type(error).__name__)
        return None


def write(path: Path, value: Any) -> None:
    """Store `value` at `path`, atomically and with mode 0600; a failure only logs."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.warning("%s not written: %s", path, error)
        temporary.unlink(missing_ok=True)
