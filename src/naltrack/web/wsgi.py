"""WSGI entry point for naltrack (waitress in `naltrack serve`, or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naltrack.web.settings")
application = get_wsgi_application()
