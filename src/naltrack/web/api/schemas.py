"""Explicit output schemas of the API (never a model dumped as-is)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Error(Schema):
    detail: str


class ClinicRole(Schema):
    clinic_id: int
    clinic: str
    role: str


class Me(Schema):
    username: str
    name: str
    is_patient: bool
    patient_id: int | None
    roles: list[ClinicRole]


class PatientSummary(Schema):
    id: int
    clinic_id: int
    record_number: str
    name: str
    display_name: str
    enrolled_on: dt.date

    @staticmethod
    def resolve_name(obj: object) -> str:
        return str(obj.full_name)  # type: ignore[attr-defined]


class PatientDetail(PatientSummary):
    sex: str
    country: str
    time_zone: str
    date_of_birth: dt.date | None
    has_login: bool

    @staticmethod
    def resolve_has_login(obj: object) -> bool:
        return obj.user_id is not None  # type: ignore[attr-defined]


class AccessEvent(Schema):
    at: dt.datetime
    who: str
    action: str
    target: str
