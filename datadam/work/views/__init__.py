"""The worker's pages: the feed, a project's brief, the task loop, my work, revisions.

Views stay thin: they parse the request, call work.services / work.selectors (the same code
the API calls) and render; a DomainError becomes a message on the page, never a 500.
"""

from .mywork import answer, mine, revise
from .projects import feed, project_detail
from .task import task_page, task_skip, task_stop, task_submit

__all__ = [
    "answer",
    "feed",
    "mine",
    "project_detail",
    "revise",
    "task_page",
    "task_skip",
    "task_stop",
    "task_submit",
]
