from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "datadam.qualifications"
    label = "qualifications"
    verbose_name = "Qualifications"
