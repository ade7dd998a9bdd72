"""Friendly error pages (never a traceback)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/error.html", {
        "title": "Not found", "message": "There is nothing here, or you do not have access to it."}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/error.html", {
        "title": "Not allowed", "message": "Your role does not allow this. Ask your clinic admin if you think "
        "it should."}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/error.html", {
        "title": "Something went wrong", "message": "The page could not be shown. Nothing was changed. "
        "Please try again; if it keeps happening, tell your clinic admin."}, status=500)
