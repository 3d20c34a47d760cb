"""Exams and training: passing grants a level, failing does not, attempts and cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.qualifications import services
from datadam.qualifications.models import ExamAttempt, WorkerQualification

pytestmark = pytest.mark.django_db


def test_passing_the_exam_grants_the_qualification_at_the_exam_level(worker, make_exam,
                                                                      take_exam):
    exam = make_exam(level=3)
    attempt = take_exam(worker, exam, right=3)
    assert (attempt.passed, attempt.score, attempt.level_granted) == (True, 0.75, 3)
    holding = WorkerQualification.objects.get(worker=worker, qualification=exam.qualification)
    assert (holding.level, holding.source) == (3, "exam")
    assert AuditEvent.objects.filter(action="qualification.grant", target_id=holding.pk).exists()


def test_failing_the_exam_grants_nothing(worker, exam, take_exam):
    attempt = take_exam(worker, exam, right=2)
    assert (attempt.passed, attempt.score, attempt.level_granted) == (False, 0.5, None)
    assert not WorkerQualification.objects.filter(worker=worker).exists()


def test_a_retake_raises_the_level_but_never_lowers_it(worker, make_exam, take_exam):
    exam = make_exam(level_from_score=True, cooldown_hours=0, max_attempts=3)
    take_exam(worker, exam, right=3)
    holding = WorkerQualification.objects.get(worker=worker)
    assert holding.level == 75
    take_exam(worker, exam, right=4)
    holding.refresh_from_db()
    assert holding.level == 100
    take_exam(worker, exam, right=3)  # passes again with a lower score
    holding.refresh_from_db()
    assert holding.level == 100
    grants = AuditEvent.objects.filter(action="qualification.grant", target_id=holding.pk)
    assert [e.data["level"] for e in grants.order_by("pk")] == [75, 100]


def test_the_cool_down_blocks_a_retake_until_it_has_passed(worker, exam, take_exam):
    take_exam(worker, exam, right=0)
    with pytest.raises(Conflict) as err:
        services.attempt_start(worker=worker, exam_id=exam.pk)
    assert "again after" in err.value.message
    ExamAttempt.objects.filter(worker=worker).update(
        finished_at=timezone.now() - timedelta(hours=25)
    )
    assert services.attempt_start(worker=worker, exam_id=exam.pk).finished_at is None


def test_attempts_run_out_after_max_attempts(worker, make_exam, take_exam):
    exam = make_exam(max_attempts=2, cooldown_hours=0)
    take_exam(worker, exam, right=0)
    take_exam(worker, exam, right=1)
    with pytest.raises(Conflict) as err:
        services.attempt_start(worker=worker, exam_id=exam.pk)
    assert "all 2 attempts" in err.value.message
    # Training stays open and does not count.
    assert services.attempt_start(worker=worker, exam_id=exam.pk, mode="training")


def test_starting_twice_resumes_the_unfinished_attempt(worker, exam):
    first = services.attempt_start(worker=worker, exam_id=exam.pk)
    again = services.attempt_start(worker=worker, exam_id=exam.pk)
    assert again.pk == first.pk
    assert ExamAttempt.objects.filter(worker=worker).count() == 1


def test_training_shows_right_or_wrong_and_the_explanation_after_each_answer(worker, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk, mode="training")
    first = exam.questions.get(pk=attempt.question_ids[0])
    result = services.attempt_answer(worker=worker, attempt_id=attempt.pk,
                                     question_id=first.pk, answer={"label": "square"})
    assert result.correct is False
    assert result.explanation == "Look at the corners: it is a circle."
    assert result.expected == {"label": "circle"}
    assert result.finished is False


def test_training_grants_nothing_even_when_every_answer_is_right(worker, exam, take_exam):
    attempt = take_exam(worker, exam, right=4, mode="training")
    assert attempt.passed is True and attempt.level_granted is None
    assert not WorkerQualification.objects.filter(worker=worker).exists()


def test_an_exam_answer_does_not_reveal_the_explanation(worker, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    result = services.attempt_answer(worker=worker, attempt_id=attempt.pk,
                                     question_id=attempt.question_ids[0],
                                     answer={"label": "circle"})
    assert result.correct is True
    assert (result.explanation, result.expected) == ("", None)


def test_answering_the_same_question_twice_is_refused(worker, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    qid = attempt.question_ids[0]
    services.attempt_answer(worker=worker, attempt_id=attempt.pk, question_id=qid,
                            answer={"label": "circle"})
    with pytest.raises(Conflict):
        services.attempt_answer(worker=worker, attempt_id=attempt.pk, question_id=qid,
                                answer={"label": "square"})


def test_an_invalid_answer_is_refused_and_records_nothing(worker, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    with pytest.raises(InvalidInput):
        services.attempt_answer(worker=worker, attempt_id=attempt.pk,
                                question_id=attempt.question_ids[0], answer={"label": "hexagon"})
    attempt.refresh_from_db()
    assert attempt.answered == 0 and not attempt.answers.exists()


def test_another_workers_attempt_is_not_found(worker, make_user, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    with pytest.raises(NotFound):
        services.attempt_answer(worker=make_user(), attempt_id=attempt.pk,
                                question_id=attempt.question_ids[0], answer={"label": "circle"})


def test_clients_do_not_take_exams(client_org, exam):
    with pytest.raises(PermissionDenied):
        services.attempt_start(worker=client_org[0], exam_id=exam.pk)


def test_a_closed_exam_or_one_without_questions_cannot_be_started(client_org, worker,
                                                                   qualification, exam):
    user = client_org[0]
    empty = services.exam_create(user=user, qualification_id=qualification.pk, title="Empty",
                                 kind="image_classification", config={"labels": ["a", "b"]})
    with pytest.raises(Conflict):
        services.attempt_start(worker=worker, exam_id=empty.pk)
    services.exam_update(user=user, exam_id=exam.pk, is_open=False)
    with pytest.raises(NotFound):
        services.attempt_start(worker=worker, exam_id=exam.pk)


def test_questions_are_validated_by_the_task_kind(client_org, exam):
    user = client_org[0]
    with pytest.raises(InvalidInput) as err:
        services.question_add(user=user, exam_id=exam.pk, data={"text": "no image"},
                              answer={"label": "circle"})
    assert "image" in err.value.message
    with pytest.raises(InvalidInput):
        services.question_add(user=user, exam_id=exam.pk, data={"image": "/x.png"},
                              answer={"label": "hexagon"})
    assert exam.questions.count() == 4


def test_removing_a_label_that_a_question_answers_is_refused(client_org, exam):
    with pytest.raises(InvalidInput) as err:
        services.exam_update(user=client_org[0], exam_id=exam.pk,
                             config={"labels": ["square", "triangle"]})
    assert "question 1" in err.value.message


def test_another_organization_cannot_edit_the_exam(make_client_org, exam):
    other, _org = make_client_org()
    with pytest.raises(NotFound):
        services.exam_update(user=other, exam_id=exam.pk, title="Mine now")
    with pytest.raises(NotFound):
        services.question_add(user=other, exam_id=exam.pk, data={"image": "/x.png"},
                              answer={"label": "circle"})


def test_an_exam_workers_took_cannot_be_deleted(client_org, worker, exam, take_exam):
    take_exam(worker, exam, right=4)
    with pytest.raises(Conflict):
        services.exam_delete(user=client_org[0], exam_id=exam.pk)


def test_a_deleted_question_is_skipped_by_an_open_attempt(client_org, worker, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    services.question_delete(user=client_org[0], question_id=attempt.question_ids[-1])
    questions = {q.pk: q for q in exam.questions.all()}
    for qid in attempt.question_ids[:3]:
        result = services.attempt_answer(worker=worker, attempt_id=attempt.pk, question_id=qid,
                                         answer=questions[qid].answer)
    assert result.finished
    assert result.attempt.score == 1.0
