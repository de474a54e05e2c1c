"""A small declarative condition language for "when does this point apply" (no eval, ever).

A condition is one of:
  {fact: NAME}                       the boolean fact is true
  {fact: NAME, equals: VALUE}        / {fact: NAME, in: [..]} / {fact: NAME, gte: N} / {fact: NAME, lt: N}
  {condition: ID}                    the patient has that listed condition
  {medicine_class: ID}               the patient takes a medicine of that class
  {all: [..]} / {any: [..]} / {not: {..}}
Evaluating one returns whether it holds and the human-readable reasons why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from counsel.core.facts import Facts


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return value.replace("_", " ")
    return str(value)


class When(BaseModel):
    """One node of a condition tree."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    all_of: list[When] | None = Field(default=None, alias="all", min_length=1)
    any_of: list[When] | None = Field(default=None, alias="any", min_length=1)
    not_: When | None = Field(default=None, alias="not")
    fact: str | None = None
    equals: str | bool | None = None
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)
    gte: float | None = None
    lt: float | None = None
    condition: str | None = None
    medicine_class: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> When:
        from counsel.core.facts import CONDITION_LABELS, FACT_LABELS

        kinds = [
            k for k in ("all_of", "any_of", "not_", "fact", "condition", "medicine_class")
            if getattr(self, k) is not None
        ]
        if len(kinds) != 1:
            raise ValueError(
                "a condition needs exactly one of: all, any, not, fact, condition, medicine_class"
            )
        ops = [k for k in ("equals", "in_", "gte", "lt") if getattr(self, k) is not None]
        if self.fact is None and ops:
            raise ValueError("equals/in/gte/lt only go with 'fact'")
        if self.fact is not None:
            if self.fact not in FACT_LABELS:
                raise ValueError(f"unknown fact '{self.fact}' (known: {sorted(FACT_LABELS)})")
            if len(ops) > 1 and set(ops) != {"gte", "lt"}:
                raise ValueError("use one comparison per fact (gte with lt is allowed)")
        if self.condition is not None and self.condition not in CONDITION_LABELS:
            raise ValueError(f"unknown condition '{self.condition}'")
        return self

    def evaluate(self, facts: Facts) -> tuple[bool, list[str]]:
        """Whether this holds for the facts, and the reasons (for a true result) to show."""
        from counsel.core.facts import CONDITION_LABELS, FACT_LABELS

        if self.all_of is not None:
            results = [c.evaluate(facts) for c in self.all_of]
            ok = all(r[0] for r in results)
            return ok, [reason for r in results for reason in r[1]] if ok else []
        if self.any_of is not None:
            results = [c.evaluate(facts) for c in self.any_of]
            reasons = [reason for r in results if r[0] for reason in r[1]]
            return any(r[0] for r in results), reasons
        if self.not_ is not None:
            ok, _ = self.not_.evaluate(facts)
            return not ok, []
        if self.condition is not None:
            has = self.condition in facts.conditions
            return has, [f"has {CONDITION_LABELS[self.condition]}"] if has else []
        if self.medicine_class is not None:
            names = facts.medicine_classes.get(self.medicine_class, ())
            label = facts.medicine_class_labels.get(self.medicine_class, self.medicine_class)
            return bool(names), [f"takes {name} ({label})" for name in names]
        assert self.fact is not None
        label = FACT_LABELS[self.fact]
        value = facts.get(self.fact)
        if self.equals is not None:
            ok = value == self.equals
            return ok, [label if value is True else f"{label}: {_fmt(value)}"] if ok else []
        if self.in_ is not None:
            ok = value in self.in_
            return ok, [f"{label}: {_fmt(value)}"] if ok else []
        if self.gte is not None or self.lt is not None:
            if not isinstance(value, float | int) or isinstance(value, bool):
                return False, []
            parts = []
            ok = True
            if self.gte is not None:
                ok = ok and value >= self.gte
                parts.append(f"≥ {_fmt(self.gte)}")
            if self.lt is not None:
                ok = ok and value < self.lt
                parts.append(f"< {_fmt(self.lt)}")
            return ok, [f"{label} {_fmt(float(value))} {' and '.join(parts)}"] if ok else []
        ok = value is True
        return ok, [label] if ok else []
