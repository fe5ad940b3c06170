"""YAML that remembers where things are: every mapping key and list item keeps its 1-based file line.

Content editors fix what the checker reports, so every value must lead back to `path:line`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping. `line`: where it starts; `lines[key]`: the line of each key; `raw[key]`: a scalar
    value as written (`192`, `0123`), for messages about values YAML turned into numbers."""

    __slots__ = ("line", "lines", "raw")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[Any, int] = {}
        self.raw: dict[Any, str] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A YAML sequence. `line`: where it starts; `lines[i]`: the line of item i; `raw[i]`: a scalar as written."""

    __slots__ = ("line", "lines", "raw")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []
        self.raw: list[str | None] = []


class YamlError(Exception):
    """A file that cannot be read as YAML (or as front matter + Markdown), with the line to look at."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


class _LineMarks:
    """Constructors that give every mapping and list its lines; mixed into a PyYAML loader."""

    line_offset: int
    duplicate_keys: list[tuple[int, str]]

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_line_dict(self, node: yaml.MappingNode):
        data = LineDict(self._line(node))
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "a key cannot be a list or a mapping",
                    key_node.start_mark) from None
            line = self._line(key_node)
            if key in data:
                # PyYAML would silently keep the last value; an editor means one of them.
                self.duplicate_keys.append((line, f'duplicate key "{key}" (first at line {data.lines[key]})'))
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = line
            if isinstance(value_node, yaml.ScalarNode):
                data.raw[key] = value_node.value

    def construct_line_list(self, node: yaml.SequenceNode):
        data = LineList(self._line(node))
        yield data
        for item in node.value:
            data.append(self.construct_object(item, deep=True))
            data.lines.append(self._line(item))
            data.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)

    def construct_date_text(self, node: yaml.ScalarNode) -> str:
        # Dates stay text so that a bad one ("2026-13-01") is reported with its line instead of
        # stopping the whole file with a ValueError; the schema parses them.
        return self.construct_scalar(node)


class _LineLoader(_LineMarks, yaml.SafeLoader):
    def __init__(self, text: str, line_offset: int) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.line_offset = line_offset
        self.duplicate_keys = []


if hasattr(yaml, "CSafeLoader"):
    class _FastLineLoader(_LineMarks, yaml.CSafeLoader):  # type: ignore[misc]
        """The same, parsed by libyaml (C): the content pack loads several times faster. A file it refuses is read
        again by the pure-Python loader, whose messages editors see."""

        def __init__(self, text: str, line_offset: int) -> None:
            yaml.CSafeLoader.__init__(self, text)
            self.line_offset = line_offset
            self.duplicate_keys = []
else:  # PyYAML built without libyaml
    _FastLineLoader = None  # type: ignore[assignment,misc]

for _loader in filter(None, (_LineLoader, _FastLineLoader)):
    _loader.add_constructor("tag:yaml.org,2002:map", _loader.construct_line_dict)
    _loader.add_constructor("tag:yaml.org,2002:seq", _loader.construct_line_list)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _loader.construct_date_text)


def load_yaml(text: str, *, line_offset: int = 0) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document: (data, [(line, "duplicate key ...")]); raises YamlError.

    `line_offset` is added to every line, for YAML that starts further down a file (front matter).
    """
    if _FastLineLoader is not None:
        loader = _FastLineLoader(text, line_offset)
        try:
            return loader.get_single_data(), loader.duplicate_keys
        except (yaml.YAMLError, ValueError):
            pass  # read again below, for PyYAML's own wording and line of the problem
        finally:
            loader.dispose()
    loader = None
    try:
        loader = _LineLoader(text, line_offset)  # the reader rejects control characters here
        return loader.get_single_data(), loader.duplicate_keys
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 1 + line_offset
        problem = exc.problem or "cannot be read"
        context = f" ({exc.context})" if exc.context else ""
        raise YamlError(line, f"invalid YAML: {problem}{context}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(line, f"invalid YAML: character {character:#x} is not allowed") from None
    finally:
        if loader is not None:
            loader.dispose()


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: Any
    duplicate_keys: list[tuple[int, str]]
    body: str
    end_line: int  # the closing "---"; the body starts on the next line


def load_front_matter(text: str) -> FrontMatter:
    """Split a page into its YAML front matter and Markdown body; lines are the file's lines."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines[0].rstrip() != "---":
        raise YamlError(1, 'a page must start with a "---" line, then its front matter, then "---"')
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            break
    else:
        raise YamlError(1, 'the front matter has no closing "---" line')
    data, duplicates = load_yaml("\n".join(lines[1:index]), line_offset=1)
    return FrontMatter(data, duplicates, "\n".join(lines[index + 1:]), index + 1)
