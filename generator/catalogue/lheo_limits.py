"""Texts longer (or shorter) than the LHÉO element they go to, from each field's ``lheo_text``.

``validate`` prints them as warnings (the site does not need LHÉO); ``lheo`` refuses to export
while one of them goes to an element it cannot leave out, and leaves out the others, saying so.
A text is never cut without a word: an address street is spread over LHÉO's lines between words.
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import ORGANISATION, PROGRAMME
from .shapes import LheoText, declared_values
from .yaml_source import Problem


def address_lines(street: str, text: LheoText) -> list[str] | None:
    """``street`` on at most ``text.lines`` lines of ``text.maximum`` characters, cut between words;
    None when it does not fit (a word longer than a line, or too many lines)."""
    lines, current = [], ""
    for word in street.split():
        if len(word) > text.maximum:
            return None
        candidate = f"{current} {word}".strip()
        if len(candidate) <= text.maximum:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines if len(lines) <= text.lines else None


@dataclass(frozen=True)
class LengthProblem:
    problem: Problem       # file, line and sentence
    path: tuple            # inside its file
    text: LheoText

    def __str__(self) -> str:
        return str(self.problem)


def _sentence(value: str, text: LheoText) -> str | None:
    element = f"<{text.element}>"
    if text.lines > 1:
        if address_lines(value, text) is not None:
            return None
        long_word = next((word for word in value.split() if len(word) > text.maximum), None)
        if long_word:
            return (f"le mot « {long_word[:20]}… » fait {len(long_word)} caractères ; une ligne d'adresse LHÉO "
                    f"({element}) en accepte {text.maximum} : coupez-le ou abrégez-le.")
        return (f"l'adresse fait {len(value)} caractères et ne tient pas sur les {text.lines} lignes de "
                f"{text.maximum} caractères de LHÉO ({element}, coupées entre les mots) : abrégez-la.")
    if len(value) > text.maximum:
        after = (" ; sans cela, il est laissé hors de l'export LHÉO" if text.optional
                 else " : raccourcissez-le, l'export LHÉO n'est pas écrit sinon")
        return f"le texte fait {len(value)} caractères ; LHÉO ({element}) en accepte {text.maximum}{after}."
    if len(value) < text.minimum:
        return (f"le texte fait {len(value)} caractère(s) ; LHÉO ({element}) en demande au moins {text.minimum} : "
                "complétez-le, l'export LHÉO n'est pas écrit sinon.")
    return None


def length_problems(source, spec) -> list[LengthProblem]:
    """Every text of ``source`` (a ``YamlSource`` checked against ``spec``) that LHÉO cannot carry."""
    found = []
    for path, field, value in declared_values(spec, source.tree):
        if field.lheo_text is None or not isinstance(value, str):
            continue
        sentence = _sentence(value, field.lheo_text)
        if sentence:
            found.append(LengthProblem(source.problem(path, sentence), path, field.lheo_text))
    return found


def catalogue_length_problems(catalogue) -> list[LengthProblem]:
    problems = length_problems(catalogue.organisation_source, ORGANISATION) if catalogue.organisation_source else []
    for entry in catalogue.programmes:
        problems += length_problems(entry.source, PROGRAMME)
    return problems
