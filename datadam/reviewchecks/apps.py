from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewchecksConfig(AppConfig):
    name = "datadam.reviewchecks"
    label = "reviewchecks"
    verbose_name = _("Reviewer checks")
