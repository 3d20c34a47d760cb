"""The qualification pages, mounted at /qualifications/.

Workers: their qualifications, exams and training, document uploads, what a project needs.
Clients: their organizations' qualifications, exams and questions, rules, and who may work
on their projects. Operators: document checks, and granting or revoking by e-mail.
"""

from .attempts import attempt, exam_start
from .manage import (
    compute,
    exam_delete,
    exam_new,
    manage_exam,
    manage_index,
    manage_qualification,
    qualification_delete,
    question_delete,
    question_new,
    rule_delete,
    rule_new,
)
from .operator import credential_decide, credentials, grants
from .requirements import requirements
from .worker import document, index, project_eligibility, qualification_detail

__all__ = [
    "attempt", "compute", "credential_decide", "credentials", "document", "exam_delete",
    "exam_new", "exam_start", "grants", "index", "manage_exam", "manage_index",
    "manage_qualification", "project_eligibility", "qualification_delete",
    "qualification_detail", "question_delete", "question_new", "requirements", "rule_delete",
    "rule_new",
]
