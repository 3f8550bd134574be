"""The README and docs/*.md tell the truth about the command line: every ``govlens ...``
of their code blocks and inline code names commands that exist, options those commands
take, and values their choices accept."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from govlens.cli import main

ROOT = Path(__file__).parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def command_lines(text: str) -> Iterator[str]:
    """Each ``govlens`` invocation in the fenced code blocks and inline code of a Markdown text."""
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            for span in re.findall(r"`((?:\S*/)?govlens [^`]+)`", line):
                yield span.split("govlens ", 1)[1]
            continue
        for part in re.split(r"&&|;|\|(?=\s)", line.split(" #", 1)[0]):
            words = part.strip()
            words = words.split("govlens ", 1)[1] if re.match(r"^(\S*/)?govlens ", words) else ""
            if words:
                yield words


def resolve(words: list[str]) -> tuple[click.Command, list[str], str]:
    """The (sub)command the words name, the words left and the command's path."""
    command: click.Command = main
    path = ["govlens"]
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        sub = command.get_command(click.Context(command), words[0])
        if sub is None:
            break
        command, path, words = sub, [*path, words[0]], words[1:]
    return command, words, " ".join(path)


def check(line: str) -> list[str]:
    """What a documented invocation gets wrong; an empty list when nothing."""
    try:
        words = shlex.split(line.replace("[", " ").replace("]", " ").replace("…", " "))
    except ValueError:
        return [f"cannot split: {line!r}"]
    return check_words(words)


def check_words(words: list[str]) -> list[str]:
    for i, word in enumerate(words):  # "users passwd|disable|list": each subcommand
        if word.startswith("-"):
            break
        if re.fullmatch(r"[a-z]+(?:\|[a-z]+)+", word) and isinstance(resolve(words[:i])[0], click.Group):
            return [p for alt in word.split("|") for p in check_words([*words[:i], alt, *words[i + 1:]])]
    command, rest, path = resolve(words)
    if isinstance(command, click.Group):
        return [f"{path}: no such command {rest[0]!r}" if rest else f"{path}: a group, not a command"]
    options = {name: p for p in command.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts}
    problems = []
    for i, word in enumerate(rest):
        name = word.split("=", 1)[0]
        if not re.fullmatch(r"--?[a-z][\w-]*", name):
            continue
        param = options.get(name)
        if param is None:
            problems.append(f"{path}: no option {name}")
            continue
        value = word.split("=", 1)[1] if "=" in word else (rest[i + 1] if i + 1 < len(rest) else "")
        if isinstance(param.type, click.Choice) and not param.is_flag and value and value.isascii():
            allowed = {str(c) for c in param.type.choices}
            problems += [f"{path} {name}: {v!r} is not one of {sorted(allowed)}"
                         for v in value.split("|") if re.fullmatch(r"[\w.-]+", v) and v not in allowed
                         and not v.isupper()]
    return problems


def documented() -> list[tuple[str, str]]:
    return [(doc.name, line) for doc in DOCS for line in command_lines(doc.read_text(encoding="utf-8"))]


def test_the_docs_show_many_invocations() -> None:
    found = documented()
    assert len(found) >= 80
    assert {doc for doc, _ in found} >= {"README.md", "harvest.md", "quality.md", "links.md", "coverage.md",
                                         "inspect.md", "maturity.md", "reports.md", "web.md"}


@pytest.mark.parametrize(("doc", "line"), documented())
def test_every_documented_invocation_matches_the_command_line(doc: str, line: str) -> None:
    assert check(line) == [], f"{doc}: govlens {line}"


@pytest.mark.parametrize(("line", "problem"), [
    ("harvst data.json", "govlens: no such command 'harvst'"),
    ("harvest data.json --knd dcat", "govlens harvest: no option --knd"),
    ("scores --format xml", "govlens scores --format: 'xml' is not one of ['csv', 'jsonl']"),
    ("maturity", "govlens maturity: a group, not a command"),
    ("users passwd|lock", "govlens users: no such command 'lock'"),
])
def test_the_check_finds_what_is_wrong(line: str, problem: str) -> None:
    assert problem in check(line)
