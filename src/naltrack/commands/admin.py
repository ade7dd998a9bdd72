"""`naltrack createclinic` and `naltrack createuser`."""

from __future__ import annotations

import sys

import typer


def register(app: typer.Typer) -> None:
    @app.command("createclinic")
    def createclinic(
        name: str = typer.Argument(..., help="The clinic's name."),
        slug: str = typer.Option(..., "--slug", help="Short unique identifier, e.g. riverside."),
        country: str = typer.Option("US", "--country", help="ISO country code (emergency numbers, units)."),
        time_zone: str = typer.Option("UTC", "--time-zone", help="IANA time zone, e.g. Europe/London."),
        drink_unit: str = typer.Option("us", "--drink-unit", help="us, uk, au, nz, ie, ca, jp or who."),
    ) -> None:
        """Create a clinic."""
        from naltrack.commands._common import fail
        from naltrack.commands._django import setup_django

        setup_django()
        from django.core.exceptions import ValidationError

        from naltrack.web.accounts.services import create_clinic

        try:
            clinic = create_clinic(name=name, slug=slug, country=country.upper(), time_zone=time_zone,
                                   drink_unit=drink_unit.lower())
        except ValidationError as exc:
            fail("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
        typer.echo(f"created clinic {clinic.name} ({clinic.slug})")

    @app.command("createuser")
    def createuser(
        username: str = typer.Argument(..., help="Login name."),
        clinic: str = typer.Option(..., "--clinic", help="Slug of the clinic the roles are in."),
        role: list[str] = typer.Option(..., "--role",
                                       help="prescriber, nurse, counsellor, moderator or clinic_admin (repeatable)."),
        first_name: str = typer.Option("", "--first-name"),
        last_name: str = typer.Option("", "--last-name"),
        email: str = typer.Option("", "--email"),
        title: str = typer.Option("", "--title", help="Professional title shown to forum members (moderators)."),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    ) -> None:
        """Create a staff login with one or more roles in a clinic."""
        from naltrack.commands._common import fail
        from naltrack.commands._django import setup_django

        setup_django()
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        from naltrack.web.accounts.models import Clinic
        from naltrack.web.accounts.services import create_staff_user

        target = Clinic.objects.filter(slug=clinic).first()
        if target is None:
            fail(f"no clinic with slug {clinic!r}")
        password = sys.stdin.readline().rstrip("\n") if password_stdin else typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True)
        try:
            validate_password(password)
            user = create_staff_user(username=username, password=password, first_name=first_name,
                                     last_name=last_name, email=email, clinic=target, roles=list(role),
                                     professional_title=title)
        except ValidationError as exc:
            fail(" ".join(exc.messages))
        except ValueError as exc:
            fail(str(exc))
        typer.echo(f"created {user.username} ({', '.join(role)}) at {target.name}")
