"""WSGI entry point (gunicorn datadam.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
application = get_wsgi_application()
