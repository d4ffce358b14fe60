"""A question kind defined outside the generator, for tests/test_question_kinds.py: a rating from
1 to ``levels``. One module and one template beside it (scale_kind.html.j2), registered by the test
only (``generator.rules.kinds.register``); the wheel then carries this module to the browser
(browser/wheel.py: ``added_kinds``), so it imports nothing but ``generator.rules``."""
from generator.rules.conditions import EQUALS, IN
from generator.rules.kinds import AnswerFault, KindField, QuestionKind


class ScaleKind(QuestionKind):
    """A rating from 1 to ``levels``, chosen among radio buttons."""

    name, macro, template = "scale", "scale_control", "scale_kind.html.j2"
    fields = {"levels": KindField(("integer", 0, 100_000), "nombre de niveaux de l'échelle (2 à 10).", "5")}
    required = ("levels",)
    operators = {"equals": EQUALS, "in": IN}

    def check(self, question, programme):
        if "levels" in question and not 2 <= question["levels"] <= 10:
            return [(("levels",), "« levels » va de 2 à 10.")]
        return []

    def _levels(self, question):
        return question.data["levels"]

    def value_fault(self, question, value):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= self._levels(question):
            return f"va de 1 à {self._levels(question)}, pas « {value} »."
        return None

    def from_json(self, question, value):
        if self.value_fault(question, value):
            raise AnswerFault(f"Choisissez un niveau de 1 à {self._levels(question)}.",
                              f"expects a level from 1 to {self._levels(question)}.")
        return value

    def from_text(self, question, text):
        return int(text) if text.isascii() and text.isdigit() else text

    def display_value(self, question, fact):
        return f"{fact} sur {self._levels(question)}"

    def sample_answers(self, question):
        return self._levels(question), self._levels(question) + 1
