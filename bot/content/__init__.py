"""Content: load, validate and index the editors' files (content/) into an immutable ContentPack."""
