"""The frontmatter fast path reads exactly what the full YAML path reads.

``plainyaml.read_plain`` handles the plain shapes almost every note has and
declines everything else.  Whatever it answers must be the very Note (data,
key lines, duplicate keys, body) or the very error that the YAML path gives,
so every test here parses the same text both ways and compares.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvault.read import frontmatter, plainyaml
from netvault.read.frontmatter import FrontmatterError, parse

_SCRIPT = Path(__file__).resolve().parent.parent / "benchmark" / "generate.py"


def _outcome(text: str, fast: bool):
    try:
        note = parse(text, fast_path=fast)
    except FrontmatterError as exc:
        return ("error", exc.message, exc.line)
    return (
        "note",
        note.data,
        list(note.data),  # key order too
        note.key_lines,
        note.duplicate_keys,
        note.body,
        note.body_line,
        note.has_frontmatter,
    )


def _pure_python_outcome(text: str):
    """The full path with PyYAML's pure-Python composer, which parse() uses
    for text that might nest deeply (many brackets)."""
    saved = frontmatter._SAFE_C_DEPTH
    frontmatter._SAFE_C_DEPTH = -1
    try:
        return _outcome(text, False)
    finally:
        frontmatter._SAFE_C_DEPTH = saved


def _same(text: str):
    """Assert both paths agree on ``text``; return whether the fast one answered.

    When the fast path answers, its answer must also be what the pure-Python
    composer reads, since enough brackets in a note switch parse() to it.
    """
    fast = _outcome(text, True)
    full = _outcome(text, False)
    assert fast == full, text
    try:
        front, _, _ = frontmatter.split(text)
    except FrontmatterError:
        return False
    if front is None:
        return False
    taken = plainyaml.read_plain(front.replace("\r\n", "\n").replace("\r", "\n")) is not None
    if taken:
        assert fast == _pure_python_outcome(text), text
    return taken


def _note(yaml_text: str) -> str:
    return "---\n" + yaml_text + "---\nBody text.\n"


# --- grammar ---------------------------------------------------------------

# Characters with a YAML meaning somewhere, others that only look like space
# or line breaks to Python, and ordinary ones.
_HOSTILE = list("#:-?,[]{}'\"\\&*!|>%@`~ \t.=/+<") + [
    "\xa0",
    "\u3000",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1c",
    "\x0b",
    "\x0c",
    "\r",
    "\ufeff",
    "\x00",
    "\x7f",
    "é",
    "ß",
    "😀",
    "ﬀ",
]
_ORDINARY = list("abcXYZ019_ ")
_chars = st.sampled_from(_ORDINARY * 3 + _HOSTILE)
_free_text = st.text(alphabet=_chars, max_size=12)
_word = st.sampled_from(
    ["Jane", "Doe", "a", "0", "01234", "+447700900123", "yes", "no", "true", "null", "Null",
     "NULL", "~", "2026-11-22", "--01-20", "1.5", "0x1F", "-", "-1", "x:y", "a#b", "O'Brien",
     "https://example.com/a?b=c#d", "a@b.example", "é", "😀", "[[Jane Doe]]", "", "=", "<<",
     "---", "...", "a,b", "{x}", "!x", "%x", "@x", "`x`", "&x", "*x", "|", ">", "?x", ":x"]
)
_plain = st.one_of(
    _word,
    st.lists(_word, min_size=1, max_size=4).map(" ".join),
    st.lists(_word, min_size=1, max_size=3).map("  ".join),
    _free_text,
)


@st.composite
def _double_quoted(draw):
    inner = draw(st.one_of(_plain, _free_text))
    if draw(st.booleans()):
        inner += draw(st.sampled_from(['\\"', "\\n", "\\\\", "\\t", "\\x41", "\\u00e9", "\\", '"']))
        inner += draw(_plain)
    return '"' + inner + '"'


@st.composite
def _single_quoted(draw):
    inner = draw(st.one_of(_plain, _free_text))
    if draw(st.booleans()):
        inner += draw(st.sampled_from(["''", "'", "\\", '"']))
        inner += draw(_plain)
    return "'" + inner + "'"


_wikilink = st.sampled_from(["[[Jane Doe]]", "[[A]]", "[[B, C]]", "[[Zoë]]", "[[x]y]]", ""]).map(
    lambda s: '"' + s + '"'
)
_item = st.one_of(_plain, _double_quoted(), _single_quoted(), _wikilink)


@st.composite
def _flow(draw, depth=0):
    items = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 2 and draw(st.integers(0, 9)) == 0:
            items.append(draw(_flow(depth + 1)))
        elif draw(st.integers(0, 12)) == 0:
            items.append("{" + draw(_plain) + ": " + draw(_plain) + "}")
        else:
            items.append(draw(_item))
    sep = draw(st.sampled_from([", ", ",", " , ", ",  "]))
    body = sep.join(items)
    if draw(st.integers(0, 7)) == 0:
        body += draw(st.sampled_from([",", ", ", " ,"]))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return "[" + pad + body + pad + "]"


_comment = st.sampled_from(["", "", "", " # note", "  # a: b", "#x", " #", "\t# t"])
_anchor = st.sampled_from(["&a ", "&b ", "!!str ", "!x ", "*a", "*b", "? "])


@st.composite
def _value(draw):
    """The text after ``key:`` on the key's line, maybe with more lines."""
    kind = draw(st.integers(0, 14))
    sep = draw(st.sampled_from([" ", " ", " ", "", "  ", "\t", " \t"]))
    if kind <= 4:
        head = draw(_plain)
    elif kind == 5:
        head = draw(_double_quoted())
    elif kind == 6:
        head = draw(_single_quoted())
    elif kind == 7:
        head = draw(_wikilink)
    elif kind == 8:
        head = draw(_flow())
    elif kind == 9:
        head = draw(_anchor) + draw(_plain)
    elif kind == 10:
        head = ""  # empty value, maybe a block list or a continuation below
    elif kind == 11:
        head = draw(st.sampled_from(["|", "|-", "|+", ">", ">-", "|2", "| # c", "|  "]))
    elif kind == 12:
        head = "{" + draw(_plain) + ": " + draw(_plain) + "}"
    else:
        head = draw(_free_text)
    trail = draw(st.sampled_from(["", "", "", " ", "  ", "\t"]))
    lines = [sep + head + draw(_comment) + trail]
    # What may follow on later lines: block list items, literal lines,
    # continuation lines, at one or several indents.
    follow = draw(st.integers(0, 5))
    if follow >= 2:
        indent = draw(st.sampled_from([0, 2, 2, 2, 1, 4]))
        for _ in range(draw(st.integers(1, 4))):
            this = indent if draw(st.integers(0, 6)) else draw(st.sampled_from([0, 1, 3, 4, 6]))
            if follow == 2:  # literal-looking content
                lines.append(" " * this + draw(_plain) + draw(st.sampled_from(["", "", " ", "  "])))
            elif follow == 3:
                lines.append(" " * this + draw(st.sampled_from(["- ", "-  ", "-", "- - ", "-\t"]))
                             + draw(_item) + draw(_comment))
            elif follow == 4:
                lines.append(" " * this + "- " + draw(_item))
            else:
                lines.append(draw(st.sampled_from(["", " ", "    ", "# c", "  # c"])))
    return lines


_key = st.one_of(
    st.sampled_from(
        ["name", "email", "last contact", "last_contact", "tags", "a.b", "x-y", "null", "NULL",
         "Null", "~", "01", "yes", "true", "1.5", "_", "key ", " key", "-k", "k:x", '"q"',
         "'q'", "né", "a  b", "&a k", "? k", "<<", "[a]", "a#b", "a #b", "K", "name", "tags",
         "a-", "a.", "0x1F", "- x", "---", "...", "%YAML", "@k", "`k`", "k\t", ""]
    ),
    st.text(alphabet=st.sampled_from(list("abkz_09-. ") + ["é", ":", "#"]), min_size=1, max_size=8),
)
_colon = st.sampled_from([":", ":", ":", " :", "::"])


@st.composite
def _entry(draw):
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return [draw(st.sampled_from(["", " ", "   ", "# comment", "#", "  # indented", "#: x"]))]
    if kind == 1:
        return [draw(_free_text)]  # a stray line
    lines = draw(_value())
    return [draw(_key) + draw(_colon) + lines[0]] + lines[1:]


@st.composite
def frontmatters(draw):
    lines = []
    for entry in draw(st.lists(_entry(), max_size=8)):
        lines.extend(entry)
    text = "\n".join(lines)
    end = draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n", "\r\n"]))
    return text + end


# The shapes the fast path is meant to take: no hostile characters.
_safe_word = st.sampled_from(
    ["Jane", "Doe", "01234", "+447700900123", "yes", "null", "~", "2026-11-22", "--01-20",
     "https://example.com/in/jane-doe-1", "jane.doe@example.com", "O'Brien", "a#b", "4/year",
     "2025-08-19T11:44", "Zoë", "李", "a, b", "x{y}", "1.5"]
)
_safe_plain = st.lists(_safe_word, min_size=1, max_size=3).map(" ".join)
_safe_flow_item = st.one_of(
    st.sampled_from(["a", "in-person", "Jane D.", "M. O'Brien", "~", "null", "Zoë", "x y"]),
    st.sampled_from(["[[Jane Doe]]", "[[A, B]]", "a: b", "#x", "", "x]"]).map(lambda s: '"' + s + '"'),
    st.sampled_from(["[[Jane Doe]]", "a, b", 'say "hi"']).map(lambda s: "'" + s + "'"),
)


@st.composite
def plain_frontmatters(draw):
    keys = st.sampled_from(["name", "email", "phone", "tags", "knows", "last contact", "zip",
                            "null", "aliases", "address", "x-y", "a.b", "01"])
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        key = draw(keys)
        kind = draw(st.integers(0, 6))
        comment = draw(st.sampled_from(["", "", "   # buddy | cold", " #"]))
        if kind <= 1:
            lines.append(f"{key}: {draw(_safe_plain)}{comment}")
        elif kind == 2:
            lines.append(f'{key}: "{draw(_safe_plain)}"{comment}')
        elif kind == 3:
            items = draw(st.lists(_safe_flow_item, max_size=4))
            lines.append(f"{key}: [{', '.join(items)}]{comment}")
        elif kind == 4:
            lines.append(f"{key}:{draw(st.sampled_from(['', ' ', ' # c']))}")
            indent = " " * draw(st.sampled_from([0, 2, 4]))
            for item in draw(st.lists(st.one_of(_safe_plain, _safe_flow_item), min_size=1, max_size=3)):
                lines.append(f"{indent}- {item}")
        elif kind == 5:
            lines.append(f"{key}: {draw(st.sampled_from(['|', '|-']))}")
            indent = " " * draw(st.sampled_from([1, 2, 4]))
            for text in draw(st.lists(_safe_plain, min_size=1, max_size=3)):
                lines.append(indent + text + draw(st.sampled_from(["", " "])))
        else:
            lines.append(draw(st.sampled_from(["", "# a comment", "#"])))
    return "\n".join(lines) + "\n"


_MUTATIONS = [
    "#", " #", " # c", ": ", ":", "'", "''", '"', "\\", '\\"', "[", "]", "{", "}", ",", ", ",
    "&a ", "*a", "!", "|", ">", "%", "@", "`", "?", "? ", "-", "- ", "\t", "\n", "\n ", "\n  ",
    "\n  - x", "\n- x", "\n\n", "\n   \n", " ", "  ", "~", "\u2028", "\x85", "\xa0", "\ufeff",
    "\x00", "---", "...", "\n---", "\n...", "\n# c", "\n  # c", "null", "é", "😀", "[[", "]]",
]


@st.composite
def mutated_frontmatters(draw):
    """Plain frontmatter with a few small edits: mostly near misses."""
    text = draw(plain_frontmatters())
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.integers(0, 4)) == 0:
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]  # delete
        else:
            text = text[:at] + draw(st.sampled_from(_MUTATIONS)) + text[at:]
    return text


_SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_SETTINGS
@given(frontmatters())
def test_fast_path_matches_yaml_on_hostile_frontmatter(yaml_text):
    _same(_note(yaml_text))


@_SETTINGS
@given(plain_frontmatters())
def test_fast_path_takes_and_matches_plain_frontmatter(yaml_text):
    assert _same(_note(yaml_text)), yaml_text


@_SETTINGS
@given(mutated_frontmatters())
def test_fast_path_matches_yaml_on_near_misses(yaml_text):
    _same(_note(yaml_text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HOSTILE + _ORDINARY + ["\n", "\n", ": ", "- ", "[", "]"]), max_size=40))
def test_fast_path_matches_yaml_on_character_soup(chars):
    _same(_note("k: " + "".join(chars) + "\n"))
    _same(_note("".join(chars) + "\n"))


# --- explicit cases --------------------------------------------------------

TAKEN = [
    "name: Jane Doe\n",
    "zip: 01234\nok: yes\nn: null\nt: ~\nempty:\nlast contact: 2026-11-22\n",
    'phone: "+44 71 5042 6529"\nintroduced_by: "[[Sofia Castillo]]"\n',
    "s: 'it is \"quoted\"'\n",
    'attendees: ["[[Jose Gonzalez]]", "[[Beatriz Kaur]]"]\n',
    "channels: [in-person, im]\ntags: []\nx: [ ]\ny: [a,b , c]\n",
    "aliases: [M. O'Brien]\n",
    "aliases:\n  - Luca S.\nknows:\n  - \"[[Diego Tanaka]]\"\n  - '[[Lina Meyer]]'\n",
    "aliases:\n- a\n- b\nnext: c\n",
    "circle: lukewarm          # buddy | strategic | lukewarm | cold\n",
    'phone: "+44 1"   # mobile\ntags: [a, b]  # some\n',
    "k: # nothing yet\n  - a\n",
    "address: |\n  156 Wagner Street\n  London\npriority: 4\n",
    "address: |-\n   a  \n   b\n",
    "address: |\n  #1 Main St: the end\n",
    "birthday: --01-20\nn: -5\nurl: https://www.linkedin.com/in/x-1\n",
    "name: a\nname: b\nNULL: x\nnull: y\n",
    "# imported\n\n   \nname: x\n# end\n",
    "weird: a#b\nbrackets: a[b]{c}, d\nquote: O'Brien\n",
    "",
    "\n\n# only a comment\n",
    "k: x\u00a0\nl: \u3000y\u3000\n",
    "created: 2025-08-19T11:44\n",
]

DECLINED = [
    "k: a # b\n  continued\n",
    "k: a\n  continued\n",
    "k: a\n\n  continued\n",
    "k:\n\n  - a\n",
    "k:\n  - a\n\n  - b\n",
    "k:\n  - a\n    - b\n",
    "k:\n  - a\n - b\n",
    "k:\n  -\n",
    "k:\n  - \n",
    "k: a: b\n",
    "k: a:\n",
    "k:a\n",
    "k: 'it''s'\n",
    'k: "a\\"b"\n',
    'k: "a" b\n',
    'k: "a"#b\n',
    "k: &a x\nl: *a\n",
    "k: !!str 1\n",
    "k: >\n  folded\n",
    "k: |+\n  kept\n",
    "k: |\n\n  a\n",
    "k: |\n  a\n\n  b\n",
    "k: |\n  a\n      \nl: b\n",
    "k: |\n  a\n   b\n",
    "k: [a, [b]]\n",
    "k: [a, {b: c}]\n",
    "k: [a, ]\n",
    "k: [a\n",
    "k: [a:b]\n",
    "k: [-a]\n",
    "k: [a?b]\n",
    "k: ,a\n",
    "k: -\n",
    "k: - a\n",
    "k: ? a\n",
    "k: %x\n",
    "k: @x\n",
    "k: `x`\n",
    "k:\ta\n",
    "k: a\u2028b\n",
    "k: a\x85b\n",
    "k: a\ufeffb\n",
    "k: a\x00\n",
    '"k": v\n',
    "? k\n: v\n",
    "- a\n- b\n",
    "just text\n",
    "--- x\n",
    "%YAML 1.1\n",
    "  k: v\n",
    "k : v\n",
    "k: |\n  no final newline",
]


@pytest.mark.parametrize("yaml_text", TAKEN)
def test_plain_shapes_are_taken_and_match(yaml_text):
    assert _same(_note(yaml_text)), yaml_text


@pytest.mark.parametrize("yaml_text", DECLINED)
def test_other_shapes_are_declined_and_match(yaml_text):
    assert plainyaml.read_plain(yaml_text) is None
    _same(_note(yaml_text))


def test_values_and_lines():
    text = _note(
        "name: Jane Doe  \n"
        "# comment\n"
        "zip: 01234\n"
        "null: x\n"
        "tags: [a, null, \"[[B]]\"]\n"
        "knows:\n"
        "  - '[[C]]'\n"
        "  - ~\n"
        "address: |\n"
        "  1 Road  \n"
        "  Town\n"
        "name: again\n"
    )
    note = parse(text)
    assert note.data == {
        "name": "again",
        "zip": "01234",
        "": "x",
        "tags": ["a", None, "[[B]]"],
        "knows": ["[[C]]", None],
        "address": "1 Road  \nTown\n",
    }
    assert note.key_lines == {"name": 13, "zip": 4, "": 5, "tags": 6, "knows": 7, "address": 10}
    assert note.duplicate_keys == (("name", 13),)
    assert _same(text)


def test_crlf_and_errors_unchanged():
    assert _same("---\r\nname: Jane\r\ntags: [a]\r\n---\r\nbody\r\n")
    _same("---\nname: [a\n---\n")
    _same("---\nname: a\n")  # never closed
    _same("no frontmatter\n")


def test_fast_path_is_taken_on_benchmark_vault(tmp_path):
    """The generated benchmark vault's notes go (almost all) the fast way."""
    spec = importlib.util.spec_from_file_location("benchmark_generate_fast", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        module.generate_vault(tmp_path, 120)
    finally:
        del sys.modules[spec.name]
    taken = total = 0
    for path in sorted(tmp_path.rglob("*.md")):
        text = frontmatter.decode(path.read_bytes())
        if frontmatter.split(text)[0] is None:
            _same(text)
            continue
        total += 1
        taken += _same(text)
    assert total > 100
    assert taken >= total - 2, (taken, total)  # templates may use {{placeholders}}
