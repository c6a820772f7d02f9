"""Turning results into what people read: the agenda as text, Markdown,
HTML or JSON, thank-you and news messages, and the template environment the
pages and new contact files share.

Writes nothing; never imports :mod:`netvault.edit` or anything above it.
"""
