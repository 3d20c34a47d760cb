"""The consent a new capture links to (called by the capture code in its transaction)."""

from __future__ import annotations

import pytest

from datadam.consent import services
from datadam.errors import InvalidInput

pytestmark = pytest.mark.django_db


def linked(project, worker, consent_id=None):
    return services.consent_for_capture(project=project, worker=worker, consent_id=consent_id)


def test_a_project_without_a_form_links_no_consent(make_project, worker):
    assert linked(make_project(), worker, consent_id=123) is None


def test_a_worker_form_links_the_workers_own_consent_whatever_id_is_sent(
    consent_project, worker, make_user, sign
):
    with pytest.raises(InvalidInput, match="Sign the consent form before capturing") as err:
        linked(consent_project, worker)
    assert err.value.code == "consent_required"
    mine = sign(worker, consent_project)
    other = sign(make_user(), consent_project)
    assert linked(consent_project, worker) == mine
    assert linked(consent_project, worker, consent_id=other.pk) == mine


def test_a_third_party_form_needs_a_consent_this_worker_collected_here(
    make_project, ask_consent, worker, make_user, sign
):
    project, elsewhere = make_project(), make_project()
    ask_consent(project, "third_party")
    ask_consent(elsewhere, "third_party")
    with pytest.raises(InvalidInput, match="Have the person you record sign"):
        linked(project, worker)
    colleague = sign(make_user(), project, "Park", third_party=True)
    other_project = sign(worker, elsewhere, "Park", third_party=True)
    for consent in (colleague, other_project):
        with pytest.raises(InvalidInput, match="not one you collected for this project"):
            linked(project, worker, consent.pk)
    mine = sign(worker, project, "Park", third_party=True)
    assert linked(project, worker, mine.pk) == mine
    assert linked(project, worker, str(mine.pk)) == mine  # as a form field sends it
    with pytest.raises(InvalidInput, match="consent_id"):
        linked(project, worker, "abc")


def test_a_withdrawn_consent_is_refused_for_a_new_capture(
    make_project, ask_consent, consent_project, worker, sign
):
    project = make_project()
    ask_consent(project, "third_party")
    consent = sign(worker, project, "Park", third_party=True)
    services.consent_withdraw(user=worker, consent_id=consent.pk)
    with pytest.raises(InvalidInput, match="was withdrawn") as err:
        linked(project, worker, consent.pk)
    assert err.value.code == "consent_withdrawn"
    own = sign(worker, consent_project)
    services.consent_withdraw(user=worker, consent_id=own.pk)
    with pytest.raises(InvalidInput, match="Sign the consent form before capturing"):
        linked(consent_project, worker)


def test_a_consent_on_an_earlier_version_is_refused_until_signed_again(
    make_project, ask_consent, consent_project, worker, sign
):
    project = make_project()
    ask_consent(project, "third_party")
    old = sign(worker, project, "Park", third_party=True)
    ask_consent(project, "third_party")  # version 2
    with pytest.raises(InvalidInput, match="version 1 of the form.*current version \\(2\\)"):
        linked(project, worker, old.pk)
    sign(worker, consent_project)
    ask_consent(consent_project)  # version 2 of the worker form
    with pytest.raises(InvalidInput, match="Sign the consent form"):
        linked(consent_project, worker)
    again = sign(worker, consent_project)
    assert linked(consent_project, worker) == again and again.form.version == 2
