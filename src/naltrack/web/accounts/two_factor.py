"""Two-factor sign-in: time-based one-time passwords (TOTP, RFC 6238) and one-time recovery codes.

Optional for everyone, required for the staff of a clinic whose admin switches it on. Views call the
verbs here; they own the checks, the counters and the audit events.

- The TOTP secret is never stored. A device row holds a random seed; the secret is
  HMAC-SHA256(server key, user id + seed), so a database dump or backup alone does not reveal it
  (the server's SECRET_KEY is needed as well). ``key_id`` fingerprints the key used, so a key kept
  in SECRET_KEY_FALLBACKS still works and a lost key is reported instead of failing silently.
- A code is accepted within one 30-second step either side of now (phone clocks drift), and only
  for a step later than the last accepted one: a code cannot be replayed.
- Wrong codes count: ``ACCOUNT_FAILURE_LIMIT`` in a row from any address pause code checks for
  ``LOCK_MINUTES``; at login they are also reported to django-axes as failed logins, so they share
  the per-username-and-address lock with wrong passwords.
- Recovery codes: ten, 16 characters (about 79 bits) each, stored as SHA-256 hashes like API tokens.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import AuditAction, Clinic, Membership, Patient, RecoveryCode, TwoFactorDevice, User
from .services import record_audit_event

if TYPE_CHECKING:
    from django.http import HttpRequest

ISSUER = "naltrack"
TOTP_DIGITS = 6
TOTP_STEP_S = 30
TOTP_WINDOW_STEPS = 1        # one step either side: phones drift by a few seconds
SECRET_BYTES = 20            # 160 bits, the size RFC 4226 recommends for HMAC-SHA1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 16
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud and typed by hand
ACCOUNT_FAILURE_LIMIT = 10   # wrong codes in a row, from any address (axes counts per address too)
LOCK_MINUTES = 30
PENDING_LOGIN_S = 5 * 60     # how long the half-logged state waits for a code after the password
PENDING_ENROL_S = 15 * 60    # ... or for a required enrolment (installing an app takes longer)

_KEY_SALT = "naltrack.accounts.two_factor.secret"


def clock() -> dt.datetime:
    """Now; the one clock the two-factor checks read (tests freeze it by replacing this function)."""
    return timezone.now()


class TwoFactorError(Exception):
    """A refusal the person can act on; the message is shown to them as it is."""


class CodeCheck(StrEnum):
    ACCEPTED = "accepted"
    RECOVERY_ACCEPTED = "recovery_accepted"
    WRONG = "wrong"
    REPLAYED = "replayed"
    LOCKED = "locked"
    KEY_MISSING = "key_missing"


CHECK_MESSAGES = {
    CodeCheck.WRONG: "That code is not right. Check the code for naltrack in your app and try again.",
    CodeCheck.REPLAYED: "That code has already been used. Wait for the next code in your app.",
    CodeCheck.LOCKED: f"Too many wrong codes: code checks for this account are paused for {LOCK_MINUTES} minutes.",
    CodeCheck.KEY_MISSING: ("Your authenticator was set up under a server key that is no longer configured, "
                            "so its codes cannot be checked. Use a recovery code, then set two-factor up again."),
}


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the secret as text and as a QR code (inline SVG)."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i:i + 4] for i in range(0, len(self.secret), 4))


# --- the secret -------------------------------------------------------------------------------

def _server_keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key_fingerprint(key: str) -> str:
    return salted_hmac(f"{_KEY_SALT}.fingerprint", "naltrack", secret=key, algorithm="sha256").hexdigest()[:16]


def totp_secret(device: TwoFactorDevice) -> str | None:
    """The base32 TOTP secret of ``device``, or None when the key that derived it is gone."""
    for key in _server_keys():
        if constant_time_compare(_key_fingerprint(key), device.key_id):
            raw = salted_hmac(_KEY_SALT, f"{device.user_id}:{device.seed}", secret=key, algorithm="sha256").digest()
            return base64.b32encode(raw[:SECRET_BYTES]).decode()
    return None


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_STEP_S)


def enrolment_for(device: TwoFactorDevice) -> Enrolment:
    """The secret, its otpauth:// URI and a QR code of it, for the set-up page."""
    secret = totp_secret(device)
    if secret is None:  # a set-up in progress under a rotated key: the caller starts again
        raise TwoFactorError("The set-up expired. Start again.")
    uri = _totp(secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=3, dark="#000", light="#fff",
                                                title="QR code to scan with your authenticator app")
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


# --- who has it, who needs it -------------------------------------------------------------------

def active_device(user: User) -> TwoFactorDevice | None:
    """The user's confirmed device, or None when two-factor is off."""
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_two_factor(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def clinics_requiring_two_factor(user: User) -> list[Clinic]:
    """Clinics where ``user`` holds an active staff role and two-factor is required (patients: none)."""
    return list(Clinic.objects.filter(requires_two_factor=True, memberships__user=user,
                                      memberships__is_active=True).distinct())


def must_enrol(user: User) -> bool:
    """Staff of a clinic that requires two-factor, who have not switched it on yet."""
    return bool(clinics_requiring_two_factor(user)) and not has_two_factor(user)


# --- audit ------------------------------------------------------------------------------------

def _record(user: User, action: str, detail: str = "", request: HttpRequest | None = None, *,
            actor: User | None = None) -> None:
    """One audit event per clinic ``user`` belongs to (staff roles, or their patient record).

    ``actor`` is who acted when it is not ``user`` (a clinic admin resetting a colleague).
    """
    clinic_ids = set(Membership.objects.filter(user=user, is_active=True).values_list("clinic_id", flat=True))
    clinic_ids |= set(Patient.objects.filter(user=user).values_list("clinic_id", flat=True))
    clinics: list[Clinic | None] = list(Clinic.objects.filter(id__in=clinic_ids)) or [None]
    target = f"for {user.username}"  # reads on after the action: "Switched on two-factor for nurse.lee"
    for clinic in clinics:
        record_audit_event(actor=actor or user, patient=None, clinic=clinic, action=action, target=target,
                           detail=detail, request=request)


# --- enrolment --------------------------------------------------------------------------------

def begin_enrolment(user: User) -> TwoFactorDevice:
    """Start (or restart) setting up an authenticator with a fresh secret; nothing is on until confirmed."""
    if has_two_factor(user):
        raise TwoFactorError("Two-factor sign-in is already on.")
    device, _ = TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"seed": secrets.token_hex(32), "key_id": _key_fingerprint(settings.SECRET_KEY),
                             "last_used_step": 0, "failed_attempts": 0, "locked_until": None})
    return device


def pending_device(user: User) -> TwoFactorDevice | None:
    """The device being set up (not yet confirmed), if any."""
    return TwoFactorDevice.objects.select_related("user").filter(user=user, confirmed_at__isnull=True).first()


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current + TOTP_WINDOW_STEPS, current - TOTP_WINDOW_STEPS - 1, -1):
        if constant_time_compare(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(device: TwoFactorDevice) -> list[str]:
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    device.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=_hash_code(code)) for code in codes])
    return [format_recovery_code(code) for code in codes]


@transaction.atomic
def confirm_enrolment(user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Switch two-factor on once ``code`` matches the new secret; returns the recovery codes (shown once)."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise TwoFactorError("There is no set-up in progress. Start again.")
    secret = totp_secret(device)
    if secret is None:
        raise TwoFactorError("The set-up expired. Start again.")
    step = _matching_step(secret, code, clock())
    if step is None:
        raise TwoFactorError("That code does not match. Check that your phone's clock is right, "
                             "then enter the code your app shows now.")
    device.confirmed_at = clock()
    device.last_used_step = step
    device.failed_attempts = 0
    device.locked_until = None
    device.save()
    codes = _new_recovery_codes(device)
    _record(user, AuditAction.TWO_FACTOR_ON, "authenticator app confirmed", request)
    return codes


# --- checking a code ----------------------------------------------------------------------------

def normalise_recovery_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").lower()


def is_recovery_code_shaped(raw: str) -> bool:
    code = normalise_recovery_code(raw)
    return len(code) == RECOVERY_CODE_LENGTH and all(char in RECOVERY_ALPHABET for char in code)


def format_recovery_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _hash_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def _fail(device: TwoFactorDevice, now: dt.datetime) -> bool:
    """Count a wrong code; lock the account's code checks at the limit. True when now locked."""
    TwoFactorDevice.objects.filter(pk=device.pk).update(failed_attempts=F("failed_attempts") + 1)
    device.refresh_from_db(fields=["failed_attempts", "locked_until"])
    if device.failed_attempts >= ACCOUNT_FAILURE_LIMIT:
        TwoFactorDevice.objects.filter(pk=device.pk).update(
            failed_attempts=0, locked_until=now + dt.timedelta(minutes=LOCK_MINUTES))
        return True
    return False


def check_code(user: User, code: str, *, purpose: str, request: HttpRequest | None = None) -> CodeCheck:
    """Check an authenticator code or a recovery code of ``user`` (two-factor on), counting failures.

    ``code`` is six digits or a recovery code (forms check the shape first). An accepted code marks
    its time step used; an accepted recovery code is spent. ``purpose`` goes into the audit detail.
    """
    device = active_device(user)
    if device is None:
        raise TwoFactorError("Two-factor sign-in is not on for this account.")
    now = clock()
    if device.locked_until is not None and device.locked_until > now:
        return CodeCheck.LOCKED
    if is_recovery_code_shaped(code):
        spent = RecoveryCode.objects.filter(device=device, code_hash=_hash_code(code),
                                            used_at__isnull=True).update(used_at=now)
        if spent:
            TwoFactorDevice.objects.filter(pk=device.pk).update(failed_attempts=0, locked_until=None)
            _record(user, AuditAction.RECOVERY_CODE_USED, f"{purpose}; {remaining_recovery_codes(user)} left",
                    request)
            return CodeCheck.RECOVERY_ACCEPTED
        result = CodeCheck.WRONG
    else:
        secret = totp_secret(device)
        if secret is None:
            return CodeCheck.KEY_MISSING
        step = _matching_step(secret, code, now)
        if step is not None and TwoFactorDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
                last_used_step=step, failed_attempts=0, locked_until=None):
            return CodeCheck.ACCEPTED
        result = CodeCheck.WRONG if step is None else CodeCheck.REPLAYED
    locked = _fail(device, now)
    kind = "recovery code" if is_recovery_code_shaped(code) else "code"
    detail = f"{purpose}: {'reused' if result is CodeCheck.REPLAYED else 'wrong'} {kind}"
    if locked:
        detail += f"; code checks paused for {LOCK_MINUTES} minutes"
    _record(user, AuditAction.SECOND_STEP_FAILED, detail, request)
    return CodeCheck.LOCKED if locked else result


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed_at__isnull=False,
                                       used_at__isnull=True).count()


def _require_code(user: User, code: str, purpose: str, request: HttpRequest | None) -> None:
    result = check_code(user, code, purpose=purpose, request=request)
    if result not in {CodeCheck.ACCEPTED, CodeCheck.RECOVERY_ACCEPTED}:
        raise TwoFactorError(CHECK_MESSAGES[result])


# --- the account page ---------------------------------------------------------------------------

@transaction.atomic
def regenerate_recovery_codes(user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Replace every recovery code (old ones stop working) after a current code."""
    _require_code(user, code, "new recovery codes", request)
    device = active_device(user)
    assert device is not None  # _require_code refused otherwise
    codes = _new_recovery_codes(device)
    _record(user, AuditAction.RECOVERY_CODES, f"{RECOVERY_CODE_COUNT} new codes; the old ones no longer work",
            request)
    return codes


@transaction.atomic
def disable_two_factor(user: User, code: str, request: HttpRequest | None = None) -> None:
    """Switch two-factor off after a current code (the view has checked the password)."""
    _require_code(user, code, "switching two-factor off", request)
    TwoFactorDevice.objects.filter(user=user).delete()
    _record(user, AuditAction.TWO_FACTOR_OFF, "switched off by the account holder", request)


@transaction.atomic
def reset_two_factor(admin: User, member: User, request: HttpRequest | None = None) -> None:
    """A clinic admin switches a staff member's two-factor off (lost phone and recovery codes).

    The member signs in with their password alone next time, and sets two-factor up again if a
    clinic of theirs requires it.
    """
    if admin.pk == member.pk:
        raise TwoFactorError("You cannot reset your own two-factor here; use your Account page.")
    if member.is_superuser:
        raise TwoFactorError("A superuser's two-factor cannot be reset from the People page.")
    if not TwoFactorDevice.objects.filter(user=member).delete()[0]:
        raise TwoFactorError(f"{member.full_name} does not have two-factor on.")
    _record(member, AuditAction.TWO_FACTOR_OFF, f"reset for {member.full_name} by a clinic admin", request,
            actor=admin)


# --- the clinic requirement ----------------------------------------------------------------------

@transaction.atomic
def set_clinic_requirement(clinic: Clinic, required: bool, *, actor: User,
                           request: HttpRequest | None = None) -> int:
    """Require (or stop requiring) two-factor for ``clinic``'s staff; returns how many were signed out.

    Switching it on signs out staff of the clinic who have not set two-factor up, so the next
    thing they see is the login page and then the set-up page. The admin must have it on first.
    """
    if required and not has_two_factor(actor):
        raise TwoFactorError("Switch on two-factor for your own account first (Account page), "
                             "so that you are not signed out yourself.")
    if clinic.requires_two_factor == required:
        return 0
    Clinic.objects.filter(pk=clinic.pk).update(requires_two_factor=required)
    clinic.requires_two_factor = required
    record_audit_event(actor=actor, patient=None, clinic=clinic, action=AuditAction.UPDATE,
                       target="two-factor requirement",
                       detail="staff must use two-factor" if required else "two-factor optional for staff",
                       request=request)
    if not required:
        return 0
    without = set(Membership.objects.filter(clinic=clinic, is_active=True)
                  .exclude(user__two_factor__confirmed_at__isnull=False).values_list("user_id", flat=True))
    return end_sessions_of(without)


def end_sessions_of(user_ids: set[int]) -> int:
    """Delete the live sessions of these users; returns how many ended.

    Works with the database-backed session engines (Django's default, which naltrack uses); with a
    cache-only or cookie engine sessions cannot be listed, and the requirement applies at next login.
    """
    if not user_ids:
        return 0
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    wanted = {str(user_id) for user_id in user_ids}
    ended = 0
    for session in store_class.get_model_class().objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(store_class().decode(session.session_data).get(SESSION_KEY)) in wanted:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


# --- the half-logged state between the password and the code -------------------------------------

PENDING_SESSION_KEY = "naltrack_two_factor_pending"


class Pending(StrEnum):
    CODE = "code"      # two-factor is on: ask for a code
    ENROL = "enrol"    # a clinic requires it and it is off: set it up before anything else


def second_step_for(user: User) -> Pending | None:
    """What a user who gave the right password must do before ``login()``; None: nothing."""
    if has_two_factor(user):
        return Pending.CODE
    if must_enrol(user):
        return Pending.ENROL
    return None


def start_pending_login(request: HttpRequest, user: User, step: Pending, *, backend: str, next_url: str) -> None:
    """Remember, in the session and briefly, who gave the right password; nobody is logged in yet."""
    lifetime_s = PENDING_LOGIN_S if step is Pending.CODE else PENDING_ENROL_S
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk, "step": str(step), "backend": backend, "next": next_url,
        "auth_hash": user.get_session_auth_hash(),
        "expires_at": (clock() + dt.timedelta(seconds=lifetime_s)).timestamp(),
    }


def pending_login(request: HttpRequest, step: Pending) -> tuple[User, dict[str, str]] | None:
    """The user half-way through logging in at ``step``, with the stored state; None when expired or absent.

    Also None when the password changed or the account was deactivated since the password step.
    """
    state = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(state, dict) or state.get("step") != str(step):
        return None
    if float(state.get("expires_at", 0)) < clock().timestamp():
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user_id = state.get("user_id")
    user = User.objects.filter(pk=user_id, is_active=True).first() if isinstance(user_id, int) else None
    if user is None or not constant_time_compare(user.get_session_auth_hash(), str(state.get("auth_hash"))):
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    return user, state


def cancel_pending_login(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
