"""Demo-clinic stage of the measures capability: drinks, timeline-followback days and questionnaires.

Consistent with the care stage's courses, read back from the database: a patient whose doses are
still coming (a good responder) drinks less as treatment goes on; a patient whose doses stopped
(lapsed) drinks more again after the last dose; opioid patients drink little. Patients with logins
log drinks in the picker (``patient`` has weeks of them); the others have timeline-followback days
entered by their clinic, with some days missing. PACS weekly for alcohol patients, PHQ-9 and GAD-7
every four weeks for some. Everything is drawn from context.rng("measures") and bulk-created.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Max

from naltrack.clinical.drinking import (
    DRINK_PRESETS,
    ethanol_g_from_standard_drinks,
    parse_sex,
    standard_drink_unit,
    standard_drinks_from_ethanol,
)
from naltrack.clinical.instruments import get_instrument, score
from naltrack.web.accounts.models import Membership, Patient, Role, User
from naltrack.web.care.models import CheckIn, Dose, Episode
from naltrack.web.demo import DemoContext

from .models import DrinkEntry, QuestionnaireResult, TimelineDay

HISTORY_DAYS = 91  # how far back the timeline followback reaches (keeps the stage fast)
LOGGED_DAYS = 45  # how far back patients with logins have logged drinks


@dataclass
class Course:
    """What the care stage left for one patient, reduced to what the drinking story needs."""

    indication: str | None
    started_on: dt.date | None
    ended_on: dt.date | None
    last_dose: dt.date | None
    profile: str  # good, lapsed or untreated


def _courses(context: DemoContext) -> dict[int, Course]:
    latest: dict[int, Episode] = {}
    for row in Episode.objects.order_by("patient_id", "-started_on", "-id"):
        latest.setdefault(row.patient_id, row)
    last_dose = dict(Dose.objects.values("patient_id").annotate(last=Max("taken_on")).values_list("patient_id", "last"))
    courses: dict[int, Course] = {}
    for patient in context.patients:
        episode: Episode | None = latest.get(patient.id)
        if episode is None:
            courses[patient.id] = Course(None, None, None, None, "untreated")
            continue
        last = last_dose.get(patient.id)
        end = episode.ended_on or context.today
        recent = last is not None and (end - last).days <= 35
        profile = "good" if recent and (episode.ended_on is None or episode.end_reason == "completed") else "lapsed"
        courses[patient.id] = Course(episode.indication, episode.started_on, episode.ended_on, last, profile)
    return courses


def _daily_grams(rng: random.Random, course: Course, day: dt.date, baseline_g: float, drink_p: float) -> float:
    """Grams of ethanol on one day for this course: falls with good treatment, rises after a lapse."""
    if course.indication == "opioid":
        return rng.choice([14.0, 28.0, 42.0]) if rng.random() < 0.08 else 0.0
    factor, p = 1.0, drink_p
    if course.started_on is not None and day >= course.started_on:
        weeks = (day - course.started_on).days / 7
        if course.profile == "good":
            factor = max(0.2, 1 - 0.14 * weeks)
            p = max(0.1, drink_p - 0.08 * weeks)
        elif course.last_dose is not None and day > course.last_dose:
            factor, p = 1.15, min(0.95, drink_p + 0.1)
        else:
            factor = max(0.5, 1 - 0.05 * weeks)
            p = max(0.3, drink_p - 0.03 * weeks)
    if rng.random() >= p:
        return 0.0
    return max(8.0, rng.gauss(baseline_g * factor, baseline_g * 0.3))


def _answers_near(rng: random.Random, name: str, level: float) -> list[object]:
    """Answers whose points sit near ``level`` (0-1) of each item's range; scored later by the core."""
    answers: list[object] = []
    for item in get_instrument(name).items:
        allowed = list(item.allowed_answers)
        index = min(len(allowed) - 1, max(0, round(rng.gauss(level, 0.15) * (len(allowed) - 1))))
        answers.append(allowed[index])
    if name == "phq-9":
        answers[8] = 0  # the demo keeps item 9 at 0; the emergency flow is shown in the tests
    return answers


def _result(patient: Patient, name: str, day: dt.date, answers: list[object]) -> QuestionnaireResult:
    scored = score(name, answers, sex=parse_sex(patient.sex))
    return QuestionnaireResult(patient=patient, instrument=name, taken_on=day, answers=answers, total=scored.total,
                               band=scored.band, flags=list(scored.flags), is_self_report=True,
                               entered_by=patient.user if patient.user_id else None)


def build(context: DemoContext) -> None:
    """Add drinks, timeline-followback days and questionnaire histories to the demo clinic."""
    rng = context.rng("measures")
    today = context.today
    courses = _courses(context)
    units = {clinic.id: clinic.drink_unit for clinic in context.clinics}
    counsellor: dict[int, User] = {}
    for membership in Membership.objects.filter(role__in=[Role.COUNSELLOR, Role.NURSE]).select_related("user"):
        counsellor.setdefault(membership.clinic_id, membership.user)
    checkin_days: dict[int, set[dt.date]] = {}
    for patient_id, day in CheckIn.objects.values_list("patient_id", "day"):
        checkin_days.setdefault(patient_id, set()).add(day)
    presets = {beverage: [p for p in DRINK_PRESETS if p.beverage == beverage]
               for beverage in ("beer", "wine", "spirits")}

    drinks: list[DrinkEntry] = []
    timeline: list[TimelineDay] = []
    results: list[QuestionnaireResult] = []
    for patient in context.patients:
        course = courses[patient.id]
        unit = units[patient.clinic_id]
        unit_g = standard_drink_unit(unit).ethanol_g
        baseline_g = rng.uniform(45, 110) if patient.sex == "M" else rng.uniform(35, 85)
        drink_p = rng.uniform(0.55, 0.9)
        beverage = rng.choice(["beer", "beer", "wine", "spirits"])
        has_login = patient.user_id is not None
        last_day = min(today, course.ended_on or today)
        first_day = max(today - dt.timedelta(days=HISTORY_DAYS - 1), patient.enrolled_on - dt.timedelta(days=28))
        logged_from = today - dt.timedelta(days=LOGGED_DAYS - 1)
        if patient.user is not None and patient.user.username == "patient":
            logged_from = today - dt.timedelta(days=34)
        day = first_day
        while day <= last_day:
            grams = _daily_grams(rng, course, day, baseline_g, drink_p)
            if has_login and day >= logged_from:
                if grams > 0:
                    serving = rng.choice(presets[beverage])
                    for _ in range(max(1, round(grams / serving.ethanol_g))):
                        g = serving.ethanol_g
                        drinks.append(DrinkEntry(
                            patient=patient, day=day, beverage=serving.beverage, label=serving.label,
                            volume_ml=serving.volume_ml, abv_percent=serving.typical_abv_percent, ethanol_g=g,
                            standard_drinks=standard_drinks_from_ethanol(g, unit), unit=unit,
                            entered_by=patient.user))
                elif day not in checkin_days.get(patient.id, set()) and rng.random() < 0.8:
                    # An alcohol-free day the patient did not check in on: the clinician recalls it later.
                    timeline.append(TimelineDay(patient=patient, day=day, standard_drinks=0.0, unit=unit,
                                                ethanol_g=0.0, entered_by=counsellor.get(patient.clinic_id)))
            elif rng.random() < 0.85 and day not in checkin_days.get(patient.id, set()):
                standard = round(grams / unit_g * 2) / 2  # recall is in half drinks
                timeline.append(TimelineDay(patient=patient, day=day, standard_drinks=standard, unit=unit,
                                            ethanol_g=ethanol_g_from_standard_drinks(standard, unit),
                                            entered_by=counsellor.get(patient.clinic_id)))
            day += dt.timedelta(days=1)

        # Questionnaires: PACS weekly for alcohol patients in treatment, PHQ-9/GAD-7 every 4 weeks for some.
        if course.started_on is None:
            continue
        q_start = max(course.started_on, today - dt.timedelta(days=HISTORY_DAYS - 1))
        if course.indication == "alcohol":
            day = q_start
            while day <= last_day:
                weeks = (day - course.started_on).days / 7
                lapsed = course.last_dose is not None and day > course.last_dose and course.profile == "lapsed"
                level = 0.65 if lapsed else max(0.1, 0.6 - (0.05 if course.profile == "good" else 0.02) * weeks)
                if rng.random() < (0.9 if has_login else 0.6):
                    results.append(_result(patient, "pacs", day, _answers_near(rng, "pacs", level)))
                day += dt.timedelta(days=7)
        if has_login or rng.random() < 0.3:
            day = q_start
            mood = rng.uniform(0.15, 0.5)
            while day <= last_day:
                for name in ("phq-9", "gad-7"):
                    results.append(_result(patient, name, day, _answers_near(rng, name, mood)))
                mood = max(0.05, mood - (0.04 if course.profile == "good" else -0.03))
                day += dt.timedelta(days=28)

    DrinkEntry.objects.bulk_create(drinks, batch_size=2000)
    TimelineDay.objects.bulk_create(timeline, batch_size=2000)
    QuestionnaireResult.objects.bulk_create(results, batch_size=2000)
