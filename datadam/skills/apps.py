from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "datadam.skills"
    label = "skills"
    verbose_name = "Skills"
