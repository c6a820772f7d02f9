"""What rendering raises, importable without loading Jinja2."""

from __future__ import annotations


class RenderError(Exception):
    """A template could not be loaded or rendered (usually a user's override)."""
