"""The case file: one counselling case (patient, prescription, pharmacy) as validated data.

The JSON names here are the interchange format other tools depend on; see schemas/case.schema.json.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from counsel.core import case_input
from counsel.core.case_input import parse_date, plain_text, quote, single_line
from counsel.core.errors import CaseError

Region = Literal["us", "uk"]
Sex = Literal["female", "male", "other", "unknown"]
KidneyFunction = Literal["normal", "mild", "moderate", "severe", "dialysis", "unknown"]
Alcohol = Literal["none", "occasional", "regular", "not_asked"]
Indication = Literal["spasticity", "alcohol_use_disorder", "hiccups", "other"]
Form = Literal["tablet", "oral_solution", "oral_suspension", "granules", "intrathecal"]
Plan = Literal["start", "continue", "change", "stop"]
Condition = Literal[
    "peptic_ulcer",
    "diabetes",
    "stroke",
    "breathing_problems",
    "bladder_problems",
    "autonomic_dysreflexia",
    "parkinsons",
    "porphyria",
    "high_blood_pressure",
    "posture_relies_on_stiffness",
]

LIQUID_FORMS: frozenset[str] = frozenset({"oral_solution", "oral_suspension"})
DEFAULT_DOSE_TIMES: dict[int, tuple[str, ...]] = {
    1: ("20:00",),
    2: ("08:00", "20:00"),
    3: ("08:00", "14:00", "20:00"),
    4: ("08:00", "12:00", "16:00", "20:00"),
    5: ("07:00", "11:00", "15:00", "19:00", "23:00"),
    6: ("06:00", "10:00", "14:00", "18:00", "22:00", "02:00"),
}
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_STRENGTH_RE = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg|microgram|micrograms)"
    r"\s*(?:/\s*(?P<volume>\d+(?:\.\d+)?)?\s*(?P<vunit>ml))?\s*$",
    re.IGNORECASE,
)

# Most doses a day a case may give (times_per_day, dose_times): the most DEFAULT_DOSE_TIMES lays out.
MAX_DOSES_PER_DAY = 6

Text = Annotated[str, Field(max_length=200), AfterValidator(single_line)]
# Dates are written 'YYYY-MM-DD' (or are date objects from YAML) and stay within a range whose
# longest calendar still fits the calendar (9999-12-31 + a titration used to overflow).
CaseDate = Annotated[date, BeforeValidator(parse_date)]


def _cross(field: str, problem: str) -> PydanticCustomError:
    """A cross-field error that still names the exact field at fault."""
    return PydanticCustomError("cross_field", "{problem}", {"field": field, "problem": problem})


class _Strict(BaseModel):
    # strict: `true` is not age 1 or 1 mg, "5" is not 5 and 5.0 is not 5 doses; an int is still a
    # valid float (5 -> 5.0 mg). allow_inf_nan: JSON's NaN/Infinity are never a dose or a weight.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              strict=True, allow_inf_nan=False)


class Strength(_Strict):
    """A parsed product strength: mg per unit (tablet, packet) or mg per `per_ml` millilitres."""

    amount_mg: float
    per_ml: float | None = None

    @property
    def mg_per_ml(self) -> float | None:
        return None if self.per_ml is None else self.amount_mg / self.per_ml

    @classmethod
    def parse(cls, text: str) -> Strength:
        m = _STRENGTH_RE.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a strength like '10 mg' or '5 mg/5 mL'")
        amount = float(m["amount"])
        if m["unit"].lower() != "mg":
            amount /= 1000.0
        per_ml = None
        if m["vunit"]:
            per_ml = float(m["volume"]) if m["volume"] else 1.0
        if amount <= 0 or (per_ml is not None and per_ml <= 0):
            raise ValueError(f"'{text}' must be more than zero")
        return cls(amount_mg=amount, per_ml=per_ml)


class Carer(_Strict):
    """The person who gives the medicine (a parent or carer): the leaflet then speaks to them."""

    name: Text = ""
    relationship: Annotated[str, Field(max_length=40), AfterValidator(single_line)] = Field(
        default="", description="e.g. mother, father, carer"
    )


# Screening answers that may be null: not asked (counsel.core.screening).
UNASKABLE = ("pregnant", "breastfeeding", "misuse_history", "missed_or_stopped_recently",
             "withdrawal_signs", "drives")


class Patient(_Strict):
    """Who the medicine is for, and the screening answers that tailor the counselling."""

    name: Text | None = None
    reference: Text | None = Field(
        default=None, description="Pseudonymous reference, e.g. initials + year of birth"
    )
    age: int = Field(ge=0, le=120)
    weight_kg: float | None = Field(default=None, gt=0, le=400)
    sex: Sex = "unknown"
    # Screening answers: true, false, or null = not asked (counsel.core.screening). A case file
    # that leaves one out means "no", as it always has; the desktop starts each as not asked.
    pregnant: bool | None = False
    breastfeeding: bool | None = False
    kidney_function: KidneyFunction = "unknown"
    crcl_ml_min: float | None = Field(
        default=None, ge=0, le=250, description="Creatinine clearance (Cockcroft-Gault), mL/min"
    )
    egfr: float | None = Field(
        default=None, ge=0, le=250, description="eGFR, mL/min/1.73 m²"
    )
    liver_disease: bool = False
    seizure_history: bool = False
    mental_health_history: bool = False
    misuse_history: bool | None = Field(
        default=False, description="A history of misuse of, or dependence on, alcohol or drugs"
    )
    missed_or_stopped_recently: bool | None = Field(
        default=False,
        description="Missed doses of baclofen, or ran out or stopped it, in the last 48 hours",
    )
    withdrawal_signs: bool | None = Field(
        default=False,
        description="Signs of withdrawal now: hallucinations, confusion, fits, high temperature, "
                    "much worse stiffness or spasms, fast heartbeat",
    )
    conditions: list[Condition] = Field(default_factory=list, max_length=len(get_args(Condition)))
    alcohol: Alcohol = "none"
    drives: bool | None = False
    other_medicines: list[Text] = Field(default_factory=list, max_length=50)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    large_print: bool = False
    carer: Carer | None = Field(
        default=None, description="Who gives the medicine; the leaflet then speaks to them"
    )

    @model_serializer(mode="wrap")
    def _keep_not_asked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A not-asked answer (null) survives a dump that leaves out empty values
        (exclude_none): left out, it would read back as "no"."""
        data: dict[str, Any] = handler(self)
        for name in UNASKABLE:
            if getattr(self, name) is None:
                data[name] = None
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Patient:
        if self.sex == "male" and self.pregnant:
            raise _cross("pregnant", "cannot be true when sex is male")
        if self.sex == "male" and self.breastfeeding:
            raise _cross("breastfeeding", "cannot be true when sex is male")
        if self.pregnant and self.age < 9:
            raise _cross("pregnant", f"cannot be true at age {self.age}")
        if self.breastfeeding and self.age < 9:
            raise _cross("breastfeeding", f"cannot be true at age {self.age}")
        return self

    @field_validator("other_medicines")
    @classmethod
    def _no_blank_medicines(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item.strip():
                raise ValueError("an entry is blank")
        return value


class Titration(_Strict):
    """Per-dose amount rises by step_mg every every_days days until target_dose_mg."""

    step_mg: float = Field(ge=0.5, le=100)
    every_days: int = Field(ge=1, le=60)
    target_dose_mg: float = Field(gt=0, le=200)


class Taper(_Strict):
    """Per-dose amount falls by step_mg every every_days days to zero."""

    step_mg: float = Field(ge=0.5, le=100)
    every_days: int = Field(ge=1, le=60)


class Pump(_Strict):
    """The intrathecal pump clinic's contacts and the next refill, printed on the leaflet and card."""

    clinic_name: Text = ""
    clinic_phone: Text = ""
    out_of_hours_phone: Text = ""
    next_refill_date: CaseDate | None = None


class Prescription(_Strict):
    """The prescriber's plan, as written: the app lays it out and checks it, never changes it."""

    drug: str = Field(min_length=1, max_length=60)
    indication: Indication = "spasticity"
    form: Form = "tablet"
    strength: str = Field(min_length=1, max_length=40)
    dose_mg: float | None = Field(default=None, gt=0, le=200)
    times_per_day: int | None = Field(default=None, ge=1, le=MAX_DOSES_PER_DAY)
    dose_times: list[Annotated[str, Field(max_length=5)]] | None = Field(
        default=None, min_length=1, max_length=MAX_DOSES_PER_DAY
    )
    plan: Plan = "start"
    start_date: CaseDate | None = None
    titration: Titration | None = None
    taper: Taper | None = None
    prescriber: Text | None = None
    pump: Pump | None = Field(
        default=None, description="Intrathecal pump clinic contacts and next refill date"
    )

    @field_validator("drug")
    @classmethod
    def _lower_drug(cls, value: str) -> str:
        return single_line(value.strip().lower())

    @field_validator("strength")
    @classmethod
    def _strength_parses(cls, value: str) -> str:
        Strength.parse(value)
        return value

    @field_validator("dose_times")
    @classmethod
    def _times_valid(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for t in value:
            if not _TIME_RE.match(t):
                raise ValueError(f"{quote(t)} is not a time like 08:00")
        if len(set(value)) != len(value):
            raise ValueError("the same time is given twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Prescription:
        strength = Strength.parse(self.strength)
        liquid = self.form in LIQUID_FORMS or self.form == "intrathecal"
        if liquid and strength.per_ml is None:
            raise _cross("strength", f"a {self.form.replace('_', ' ')} needs mg per mL, e.g. '5 mg/5 mL'")
        if not liquid and strength.per_ml is not None:
            raise _cross("strength", f"a {self.form} strength is mg per unit, e.g. '10 mg'")
        if self.pump is not None and self.form != "intrathecal":
            raise _cross("pump", "only for the intrathecal form")
        if self.form == "intrathecal":
            if self.titration or self.taper:
                raise _cross("titration" if self.titration else "taper",
                             "pump doses are set by the pump clinic, not by a calendar")
            return self
        if self.dose_mg is None:
            raise _cross("dose_mg", "missing (required for oral baclofen)")
        if self.times_per_day is None and self.dose_times is None:
            # Never assumed: a made-up "3 times a day" would print a dose the prescriber never wrote.
            raise _cross("times_per_day", "missing: how many doses a day (or give dose_times); "
                                          "required for oral baclofen, never assumed")
        if self.times_per_day is not None and self.dose_times is not None \
                and len(self.dose_times) != self.times_per_day:
            raise _cross("dose_times", f"{len(self.dose_times)} times given but times_per_day is "
                                       f"{self.times_per_day}")
        if self.titration and self.taper:
            raise _cross("taper", "give either a titration or a taper, not both")
        if self.titration:
            if self.plan == "stop":
                raise _cross("titration", "a titration makes no sense when the plan is stop")
            if self.titration.target_dose_mg <= self.dose_mg:
                raise _cross("titration.target_dose_mg",
                              f"must be more than dose_mg ({_num(self.dose_mg)})")
        if self.taper and self.plan == "start":
            raise _cross("taper", "a taper makes no sense when the plan is start")
        return self

    @property
    def parsed_strength(self) -> Strength:
        return Strength.parse(self.strength)

    @property
    def is_liquid(self) -> bool:
        return self.form in LIQUID_FORMS

    @property
    def doses_per_day(self) -> int:
        """The prescribed number of doses a day; 0 for a pump (oral cases must state it)."""
        if self.dose_times is not None:
            return len(self.dose_times)
        return self.times_per_day or 0

    @property
    def times(self) -> tuple[str, ...]:
        """The clock times: as given, or the prescribed number of doses spread over the day.

        Only the clock times are laid out here; the number of doses always comes from the case.
        """
        if self.dose_times is not None:
            return tuple(self.dose_times)
        return DEFAULT_DOSE_TIMES.get(self.doses_per_day, ())


class Pharmacy(_Strict):
    name: Text = ""
    phone: Text = ""
    address: Text = ""


class Case(_Strict):
    """One counselling case: the interchange format read by the CLI, the app and the tests."""

    region: Region = "us"
    patient: Patient
    prescription: Prescription
    pharmacy: Pharmacy = Field(default_factory=Pharmacy)
    pharmacist: Annotated[str, Field(max_length=20), AfterValidator(single_line)] = ""
    notes: Annotated[str, Field(max_length=2000), AfterValidator(plain_text)] = ""
    follow_up_date: CaseDate | None = None


def _num(value: float) -> str:
    return f"{value:g}"


def _describe(err: Any) -> tuple[str, str]:
    """Turn one pydantic error into (dotted field path, plain problem)."""
    loc = [case_input.key(p) for p in err["loc"]]
    ctx = err.get("ctx") or {}
    if err["type"] == "cross_field":
        loc.append(str(ctx["field"]))
        return ".".join(loc), str(ctx["problem"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return ".".join(loc), "unknown field"
    if kind == "missing":
        return ".".join(loc), "missing (required)"
    if kind == "float_type" and type(err.get("input")) is int:
        return ".".join(loc), f"is too large (got {quote(err['input'])})"
    msg = str(err["msg"]).replace(" after validation", "")
    msg = msg.removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    # Our own messages quote the value themselves; pydantic's get a short quote (never 5 MB).
    if kind != "value_error" and "input" in err and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {quote(err['input'])})"
    return ".".join(loc), msg


def _apply_date_default(data: dict[str, Any], today: date) -> dict[str, Any]:
    rx = data.get("prescription")
    if isinstance(rx, dict) and rx.get("start_date") in (None, ""):
        rx = {**rx, "start_date": today.isoformat()}
        data = {**data, "prescription": rx}
    return data


def parse_case(data: Any, *, today: date, source: str = "case") -> Case:
    """Validate raw case data; missing start_date defaults to `today` (passed in, never read)."""
    if not isinstance(data, dict):
        raise CaseError(source, "", "the case must be a JSON object")
    bad = case_input.first_bad_node(data)
    if bad is not None:
        raise CaseError(source, *bad)
    try:
        return Case.model_validate(_apply_date_default(data, today))
    except ValidationError as exc:
        field, problem = _describe(exc.errors()[0])
        raise CaseError(source, field, problem) from None


def load_case(path: Path, *, today: date) -> Case:
    """Read and validate a case JSON file, with one-line errors naming the file and field."""
    source = case_input.key(path.name, limit=80) if path.name else case_input.quote(str(path))
    try:
        data = case_input.read_json(path)  # size, file type, nesting and huge numbers checked
    except ValueError as exc:
        raise CaseError(source, "", str(exc)) from None
    return parse_case(data, today=today, source=source)


def case_json_schema() -> dict[str, Any]:
    """The published JSON Schema of the case file."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Counsel case file"
    return schema
