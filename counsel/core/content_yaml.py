"""The YAML reader for content files: libyaml speed, safe types, and no silent surprises.

Plain YAML lets a file say one thing and mean another: a second `max_daily_mg:` in the same
mapping silently replaces the first (turning a maximum-dose warning off), and aliases (`*a`) can
multiply a few lines into billions of nodes. Content drives safety checks, so both are errors.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

# libyaml's safe loader is ~10x faster than the pure-Python one (content loads at every start);
# both are *safe* loaders: no Python objects are ever built from content. Only parsing happens
# in C; the checks below run in the (Python) constructor, which both loaders share.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"


class ContentLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys, aliases and merge keys."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # Only an alias (*name) reaches the same node a second time.
        if node in self.constructed_objects:
            raise ConstructorError(
                None, None,
                f"an alias (*name) re-uses the {getattr(node, 'id', 'node')} anchored at line "
                f"{node.start_mark.line + 1}; aliases are not allowed in content files: write it out")
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            # A scalar YAML cannot turn into a value (2026-02-30, a 5,000-digit number): a
            # content error with its line, not a crash.
            problem = ("a number with thousands of digits" if "digits" in str(exc)
                       else " ".join(str(exc).split())[:80])
            raise ConstructorError(None, None, f"cannot read this value: {problem}",
                                   node.start_mark) from None

    def construct_mapping(self, node: Node, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if key_node.tag == MERGE_TAG:
                    raise ConstructorError(None, None, "merge keys (<<) are not allowed in content "
                                           "files: write the keys out", key_node.start_mark)
                if not isinstance(key_node, ScalarNode):
                    raise ConstructorError(None, None, "a key must be plain text",
                                           key_node.start_mark)
                ident = (key_node.tag, key_node.value)
                if ident in seen:
                    raise ConstructorError(
                        None, None,
                        f"duplicate key '{key_node.value[:40]}' (first at line {seen[ident]}); "
                        "the second would silently replace the first", key_node.start_mark)
                seen[ident] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse one content document; raises yaml.YAMLError (with a mark) or RecursionError."""
    return yaml.load(text, Loader=ContentLoader)  # a SafeLoader: plain data only
