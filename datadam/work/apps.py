from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "datadam.work"
    label = "work"
    verbose_name = "Work"
