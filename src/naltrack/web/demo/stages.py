"""Demo stages, in order. Each capability appends its own stage here."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from naltrack.web.accounts.models import AuditAction, AuditEvent, Clinic, Membership, Patient, Role, User

from . import DEMO_PASSWORD, DemoContext, Stage
from .names import FAMILY_NAMES, GIVEN_NAMES, PSEUDONYM_WORDS

CLINICS = (
    # slug, name, country, time zone, drink unit, share of patients
    ("riverside", "Riverside Recovery Clinic (demo)", "US", "America/New_York", "us", 0.8),
    ("harbour-street", "Harbour Street Addiction Service (demo)", "GB", "Europe/London", "uk", 0.2),
)

STAFF = (
    # username, first, last, clinic slug, roles, professional title
    ("dr.okafor", "Grace", "Okafor", "riverside", [Role.PRESCRIBER], "Addiction physician"),
    ("nurse.lindqvist", "Erik", "Lindqvist", "riverside", [Role.NURSE], "Registered nurse"),
    ("counsellor.reyes", "Marisol", "Reyes", "riverside", [Role.COUNSELLOR], "Addiction counsellor"),
    ("mod.chen", "Wei", "Chen", "riverside", [Role.MODERATOR], "Mental health nurse"),
    ("admin.patel", "Anika", "Patel", "riverside", [Role.CLINIC_ADMIN], ""),
    ("dr.hughes", "Owen", "Hughes", "harbour-street", [Role.PRESCRIBER], "Consultant in addiction psychiatry"),
    ("nurse.byrne", "Siobhan", "Byrne", "harbour-street", [Role.NURSE, Role.COUNSELLOR], "Nurse specialist"),
)

PATIENT_LOGINS = 12  # the first patients of the first clinic get app logins


def create_clinics(context: DemoContext) -> None:
    for slug, name, country, tz, unit, _share in CLINICS:
        context.clinics.append(Clinic.objects.create(
            slug=slug, name=name, country=country, time_zone=tz, drink_unit=unit))


def create_staff(context: DemoContext) -> None:
    password_hash = make_password(DEMO_PASSWORD)
    by_slug = {clinic.slug: clinic for clinic in context.clinics}
    for username, first, last, slug, roles, title in STAFF:
        user = User.objects.create(username=username, first_name=first, last_name=last,
                                   password=password_hash, email=f"{username}@demo.invalid",
                                   is_staff=Role.CLINIC_ADMIN in roles)
        for role in roles:
            Membership.objects.create(user=user, clinic=by_slug[slug], role=role, professional_title=title)
        context.staff[username] = user
        context.logins.append((f"{', '.join(r.label for r in roles)}, {by_slug[slug].name}", username,
                               DEMO_PASSWORD))


def create_patients(context: DemoContext) -> None:
    rng = context.rng("patients")
    password_hash = make_password(DEMO_PASSWORD)
    pseudonyms: set[str] = set()
    patients: list[Patient] = []
    users: dict[int, User] = {}
    index = 0
    for clinic, (_slug, _n, _c, _tz, _u, share) in zip(context.clinics, CLINICS, strict=True):
        for _ in range(round(context.patient_count * share)):
            index += 1
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            while True:
                pseudonym = f"{rng.choice(PSEUDONYM_WORDS)}{rng.choice(PSEUDONYM_WORDS)}{rng.randint(1, 99)}"
                if pseudonym not in pseudonyms:
                    pseudonyms.add(pseudonym)
                    break
            age = rng.randint(19, 72)
            enrolled = context.today - dt.timedelta(days=rng.randint(3, 540))
            patient = Patient(
                clinic=clinic, given_name=given, family_name=family, display_name=pseudonym,
                record_number=f"DEMO-{index:05d}", sex=rng.choice("FMM"),
                date_of_birth=context.today - dt.timedelta(days=365 * age + rng.randint(0, 364)),
                country=clinic.country, time_zone=clinic.time_zone, enrolled_on=enrolled,
            )
            if clinic == context.clinics[0] and len(users) < PATIENT_LOGINS:
                username = "patient" if not users else f"patient{len(users) + 1}"
                users[len(patients)] = User(username=username, first_name=given, last_name=family,
                                            password=password_hash)
            patients.append(patient)
    created_users = User.objects.bulk_create(list(users.values()))
    for position, user in zip(users, created_users, strict=True):
        patients[position].user = user
    context.patients = Patient.objects.bulk_create(patients, batch_size=500)
    for position, user in zip(users, created_users, strict=True):
        patient = context.patients[position]
        context.logins.append((f"patient {patient.given_name} {patient.family_name}", user.username,
                               DEMO_PASSWORD))


def create_access_history(context: DemoContext) -> None:
    """Past chart openings by the clinic's staff, so 'who opened my record' has a history."""
    rng = context.rng("audit")
    staff_by_clinic: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(role__in=[Role.PRESCRIBER, Role.NURSE, Role.COUNSELLOR]):
        staff_by_clinic.setdefault(membership.clinic_id, []).append(context.staff[membership.user.username])
    from naltrack.web.accounts.access import role_labels

    labels = {user.id: role_labels(user) for users in staff_by_clinic.values() for user in users}
    events: list[AuditEvent] = []
    times: list[dt.datetime] = []
    now = timezone.now()
    for patient in context.patients:
        days_enrolled = max((context.today - patient.enrolled_on).days, 1)
        for _ in range(rng.randint(1, 6)):
            actor = rng.choice(staff_by_clinic[patient.clinic_id])
            at = now - dt.timedelta(days=rng.randint(0, days_enrolled), minutes=rng.randint(0, 600))
            events.append(AuditEvent(actor=actor, actor_label=labels[actor.id], clinic_id=patient.clinic_id,
                                     patient=patient, action=AuditAction.VIEW, target="chart",
                                     ip_address="127.0.0.1", user_agent="demo", via="web"))
            times.append(at)
    created = AuditEvent.objects.bulk_create(events, batch_size=1000)
    # auto_now_add stamps 'now' on insert; spread the history back over the enrolment period.
    for event, at in zip(created, times, strict=True):
        event.at = at
    AuditEvent.objects.bulk_update(created, ["at"], batch_size=1000)


def _capability_stage(app: str) -> Stage:
    def run(context: DemoContext) -> None:
        import importlib

        importlib.import_module(f"naltrack.web.{app}.demo").build(context)

    return run


STAGES: list[tuple[str, Stage]] = [
    ("clinics", create_clinics),
    ("staff", create_staff),
    ("patients", create_patients),
    ("record access history", create_access_history),
    # Each capability's own stage (its app's demo.py), in dependency order.
    ("treatment courses", _capability_stage("care")),
    ("safety", _capability_stage("safety")),
    ("measures", _capability_stage("measures")),
    ("community", _capability_stage("community")),
]
