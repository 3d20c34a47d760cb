"""Qualifications: credentials a worker holds, the exams and training that grant them, document
checks by operators, computed grants, and the requirements that decide who may work on a project.
"""
