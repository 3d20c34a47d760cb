from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "datadam.rewards"
    label = "rewards"
    verbose_name = _("Points ledger")
