"""The writer's shortcut for plain values never says "plain" where YAML
would read the value back as something else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.edit.lines import _CONTEXTS, obviously_plain, reads_back

ALPHABET = "aZ09 ._@/+&'(),=?%~-:#[]{}!*|>\"`\t\\\n" + "null" + "éü"
CONTEXTS = sorted(_CONTEXTS)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12), st.sampled_from(CONTEXTS))
def test_plain_only_when_it_reads_back(value, context):
    if obviously_plain(value, context):
        template, wrap = _CONTEXTS[context]
        assert reads_back(template.format(value), wrap(value)), (value, context)


def test_common_values_take_the_shortcut():
    for value in ("Jane Doe", "Acme (PM)", "https://www.linkedin.com/in/jane-doe", "2026-11-22",
                  "linkedin import (Connections.csv)", "O'Connell", "cold"):
        assert obviously_plain(value, "value"), value
    for value in ("null", "Null", "a: b", "a #b", "- x", "x ", " x", "", "[x]", "a,b"):
        assert not obviously_plain(value, "flow"), value
    assert not obviously_plain("null", "value") and not obviously_plain("a: b", "value")
