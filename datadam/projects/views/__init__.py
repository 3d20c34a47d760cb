"""Client console pages: projects, the project wizard, dashboards and item upload."""

from .console import close, dashboard, index, launch, numbers, pause, resume
from .items import items
from .wizard import preview, project_edit, project_new

__all__ = [
    "close", "dashboard", "index", "items", "launch", "numbers", "pause", "preview",
    "project_edit", "project_new", "resume",
]
