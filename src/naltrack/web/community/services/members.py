"""Forum identities: a patient's pseudonym, or a staff member's first name and professional title."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404

from naltrack.web.accounts.access import own_patient
from naltrack.web.accounts.models import Membership, Role, User

from ..access import member_kind
from ..models import Member, MemberKind

_STAFF_ROLES = {
    MemberKind.MODERATOR: [Role.MODERATOR],
    MemberKind.CARE_TEAM: [Role.PRESCRIBER, Role.NURSE, Role.COUNSELLOR],
}


def display_name_for(user: User, clinic_id: int, kind: str) -> str:
    """What the forum shows for ``user``: never a patient's real name, never a clinic's name.

    Patients: their pseudonymous display name. Staff: "<first name> — <professional title>" (the title
    of their moderator or clinical role in this clinic, or the role's name when they have none).
    """
    if kind == MemberKind.PATIENT:
        patient = own_patient(user)
        assert patient is not None
        return patient.display_name
    membership = (Membership.objects.filter(user=user, clinic_id=clinic_id, is_active=True,
                                            role__in=_STAFF_ROLES[MemberKind(kind)])
                  .order_by("role").first())
    title = ""
    if membership is not None:
        title = membership.professional_title or Role(membership.role).label
    first = user.first_name.strip() or ("Moderator" if kind == MemberKind.MODERATOR else "Care team")
    return f"{first} — {title}" if title else first


def member_for(user: User, clinic_id: int) -> Member:
    """The user's identity in ``clinic_id``'s forum, created on first use and kept up to date.

    Raises Http404 when the user is not a member of that forum.
    """
    kind = member_kind(user, clinic_id)
    if kind is None:
        raise Http404("No such forum.")
    name = display_name_for(user, clinic_id, kind)
    member = Member.objects.filter(clinic_id=clinic_id, user=user).first()
    if member is None:
        try:
            with transaction.atomic():
                return Member.objects.create(clinic_id=clinic_id, user=user, kind=kind, display_name=name)
        except IntegrityError:  # created concurrently by another request
            member = Member.objects.get(clinic_id=clinic_id, user=user)
    if member.kind != kind or member.display_name != name:
        member.kind, member.display_name = kind, name
        member.save(update_fields=["kind", "display_name"])
    return member


def moderators_of(clinic_id: int) -> list[Member]:
    """A forum identity for every active moderator of the clinic."""
    users = User.objects.filter(memberships__clinic_id=clinic_id, memberships__role=Role.MODERATOR,
                                memberships__is_active=True, is_active=True).distinct()
    return [member_for(user, clinic_id) for user in users]
