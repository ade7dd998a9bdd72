"""The safety demo stage: reproducible, mostly ready/caution screenings, a few blocks, flags from the core."""

from __future__ import annotations

import datetime as dt
import time

from naltrack.web.care.models import Flag
from naltrack.web.safety.gate import first_dose_block
from naltrack.web.safety.models import LiverResult, Medication, Screening, ScreeningOverride, SymptomReport

DEMO_TODAY = dt.date(2026, 11, 1)


def _snapshot():
    return (sorted(Screening.objects.values_list("patient__record_number", "verdict", "recorded_at")),
            sorted(LiverResult.objects.values_list("patient__record_number", "test", "value", "taken_on")),
            sorted(SymptomReport.objects.values_list("patient__record_number", "urgency")),
            sorted(Medication.objects.values_list("patient__record_number", "name")))


def test_the_demo_stage_builds_a_believable_and_reproducible_safety_history(db):
    from naltrack.web.accounts.models import Patient
    from naltrack.web.demo import DemoContext, build_demo
    from naltrack.web.safety import demo

    context = build_demo(seed=11, patients=300, today=DEMO_TODAY)
    verdicts = list(Screening.objects.values_list("verdict", flat=True))
    assert verdicts.count("ready") + verdicts.count("caution") > 0.75 * len(verdicts)
    assert verdicts.count("not_ready") >= 3
    assert ScreeningOverride.objects.exists()
    assert LiverResult.objects.count() > 300
    assert Flag.objects.filter(kind__startswith="liver_above").exists()
    urgent = SymptomReport.objects.get(urgency="urgent")
    assert urgent.patient.user.username == "patient" and "dark_urine" in urgent.codes
    assert Flag.objects.filter(patient=urgent.patient, kind="symptom_urgent").exists()
    assert Medication.objects.filter(name__icontains="co-codamol").count() == 1
    assert Flag.objects.filter(kind="opioid_medication").count() == 1
    blocked = [s.patient for s in Screening.objects.filter(verdict="not_ready", override__isnull=True)
               if first_dose_block(s.patient)]
    assert blocked and all(not p.doses.exists() for p in blocked)  # nobody was dosed past the gate

    # Run the stage again on the same clinic: the same history, in well under 5 seconds.
    first = _snapshot()
    for model in (Screening, LiverResult, SymptomReport, Medication):
        model.objects.all().delete()
    Flag.objects.filter(kind__in=["liver_above_3x_uln", "liver_above_5x_uln", "liver_tests_due", "symptom_urgent",
                                  "opioid_medication"]).delete()
    again = DemoContext(seed=11, today=DEMO_TODAY, patient_count=300, clinics=context.clinics, staff=context.staff,
                        patients=list(Patient.objects.select_related("clinic", "user").order_by("id")))
    started = time.perf_counter()
    demo.build(again)
    elapsed = time.perf_counter() - started
    assert _snapshot() == first
    assert elapsed < 5, f"the safety stage took {elapsed:.1f} s for 300 patients"
