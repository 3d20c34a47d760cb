"""WSGI entry point (`datadam serve` runs it under granian or gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
application = get_wsgi_application()
