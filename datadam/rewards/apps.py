from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "datadam.rewards"
    label = "rewards"
    verbose_name = "Points ledger"
