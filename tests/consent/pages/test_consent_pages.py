"""The consent pages through the test client: the client's console page, the worker's
consents and panel, the operators' search; access and both languages."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import Client, RequestFactory

from datadam.consent.models import Consent, ConsentForm
from datadam.consent.services import consent_withdraw

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def panel_root(html: str) -> dict[str, str]:
    match = re.search(r'<div class="dd-consent"([^>]*)>', html)
    assert match, "no consent panel"
    return dict(re.findall(r'(data-[a-z-]+)(?:="([^"]*)")?', match.group(1)))


def test_the_client_writes_the_form_and_every_save_is_a_new_version(make_project):
    project = make_project()
    client = signed_in(project.created_by)
    url = f"/console/projects/{project.pk}/consent/"
    assert url in client.get(f"/console/projects/{project.pk}/").content.decode()
    page = client.get(url).content.decode()
    assert "Workers are not asked to sign a consent form" in page
    r = client.post(url, {"title": "Voice consent", "body": "We record.", "subject": "worker"})
    assert r.status_code == 302
    client.post(url, {"title": "Voice consent", "body": "We record. v2", "subject": "worker"})
    page = client.get(url).content.decode()
    assert "Consent form saved as version 2." in page
    assert re.findall(r'data-version="(\d)"', page) == ["2", "1"]
    assert 'name="body"' in page and "We record. v2</textarea>" in page  # edits the current
    client.post(url, {"action": "remove"})
    assert not ConsentForm.objects.filter(project=project, active=True).exists()
    page = client.post(url, {"title": "", "body": "x", "subject": "worker"}).content.decode()
    assert "This field is required." in page


def test_the_client_sees_counts_and_the_withdrawn_captures_without_the_persons_name(
    consent_project, worker, sign, make_capture
):
    consent = sign(worker, consent_project, "Kim Minji")
    capture = make_capture(consent_project, worker, consent)
    consent_withdraw(user=worker, consent_id=consent.pk, reason="moving abroad")
    page = signed_in(consent_project.created_by).get(
        f"/console/projects/{consent_project.pk}/consent/").content.decode()
    assert '<b data-stat="signed">1</b>' in page and '<b data-stat="withdrawn">1</b>' in page
    row = re.search(rf'<tr data-capture="{capture.pk}">(.*?)</tr>', page, re.S).group(1)
    assert f"#{capture.item_id}" in row and f"#{worker.pk}" in row and "moving abroad" in row
    assert "Kim Minji" not in page


def test_the_console_page_is_for_the_projects_organization_only(
    consent_project, make_client_org, worker
):
    url = f"/console/projects/{consent_project.pk}/consent/"
    assert signed_in(make_client_org()[0]).get(url).status_code == 404
    assert signed_in(worker).get(url).status_code == 403


def test_the_console_page_reads_in_korean(consent_project):
    page = signed_in(consent_project.created_by, "ko").get(
        f"/console/projects/{consent_project.pk}/consent/").content.decode()
    assert '<html lang="ko">' in page


def test_the_panel_renders_nothing_without_a_form_and_the_contract_with_one(
    make_project, consent_project, worker, sign
):
    request = RequestFactory().get("/work/")
    request.user, request.session = worker, SessionStore()
    template = Template('{% include "consent/_panel.html" with project=project %}')
    assert template.render(Context({"request": request, "project": make_project()})).strip() == ""
    html = template.render(Context({"request": request, "project": consent_project}))
    assert panel_root(html) == {
        "data-subject": "worker", "data-state": "unsigned", "data-consent-id": "",
        "data-version": "1", "data-sign-url": f"/consent/projects/{consent_project.pk}/sign/",
        "data-new-person-url": f"/consent/projects/{consent_project.pk}/new-person/",
        "data-csrf": panel_root(html)["data-csrf"],
    }
    assert "We record your voice reading sentences." in html
    assert 'name="consent_subject_name"' in html and 'name="consent_agree"' in html
    assert "consent/panel.js" in html
    consent = sign(worker, consent_project)
    html = template.render(Context({"request": request, "project": consent_project}))
    root = panel_root(html)
    assert (root["data-state"], root["data-consent-id"]) == ("signed", str(consent.pk))
    assert f'<input type="hidden" name="consent_id" value="{consent.pk}">' in html
    assert "Signed by Kim Minji on" in html and 'href="/consent/"' in html


def test_signing_in_the_panel_answers_the_signed_panel(consent_project, worker):
    client = signed_in(worker)
    url = f"/consent/projects/{consent_project.pk}/sign/"
    page = client.post(url, {"consent_subject_name": "Kim Minji",
                             "consent_signature": "Kim Mina"}).content.decode()
    root = panel_root(page)
    assert root["data-state"] == "unsigned" and "data-signed-now" not in root
    assert "Tick “I agree”" in page and 'value="Kim Minji"' in page  # typed values kept
    page = client.post(url, {"consent_subject_name": "Kim Minji", "consent_agree": "yes",
                             "consent_signature": "Kim Mina"}).content.decode()
    assert "The signature must be the name typed again" in page
    page = client.post(url, {"consent_subject_name": "Kim Minji", "consent_agree": "yes",
                             "consent_signature": "kim minji"},
                       headers={"user-agent": "Phone/2"}).content.decode()
    consent = Consent.objects.get()
    root = panel_root(page)
    assert root["data-state"] == "signed" and root["data-consent-id"] == str(consent.pk)
    assert "data-signed-now" in root and consent.user_agent == "Phone/2"
    assert "<html" not in page  # the panel alone, to swap in


def test_a_third_party_stays_signed_for_until_new_person(
    make_project, ask_consent, worker, make_user
):
    project = make_project()
    ask_consent(project, "third_party")
    client = signed_in(worker)
    fields = {"consent_subject_name": "Lee Jiwoo", "consent_signature": "lee jiwoo",
              "consent_agree": "yes"}
    root = panel_root(client.post(f"/consent/projects/{project.pk}/sign/", fields)
                      .content.decode())
    first = Consent.objects.get()
    assert (root["data-subject"], root["data-consent-id"]) == ("third_party", str(first.pk))
    page = client.get(f"/consent/projects/{project.pk}/").content.decode()
    assert panel_root(page)["data-consent-id"] == str(first.pk)  # after a reload too
    assert "New person" in page
    page = client.post(f"/consent/projects/{project.pk}/new-person/").content.decode()
    assert panel_root(page)["data-state"] == "unsigned"
    assert panel_root(client.get(f"/consent/projects/{project.pk}/").content.decode())[
        "data-state"] == "unsigned"
    client.post(f"/consent/projects/{project.pk}/sign/", fields)
    assert Consent.objects.filter(signer=worker).count() == 2
    # Another worker's browser holds nobody.
    page = signed_in(make_user()).get(f"/consent/projects/{project.pk}/").content.decode()
    assert panel_root(page)["data-state"] == "unsigned"


def test_only_workers_use_the_panel_endpoints(consent_project, client_org):
    client = signed_in(client_org[0])
    assert client.post(f"/consent/projects/{consent_project.pk}/sign/").status_code == 403
    assert client.get("/consent/").status_code == 403


def test_the_worker_lists_and_withdraws_their_consents(
    consent_project, worker, make_user, sign, make_capture
):
    consent = sign(worker, consent_project)
    make_capture(consent_project, worker, consent)
    client = signed_in(worker)
    assert 'href="/consent/"' in client.get("/accounts/profile/").content.decode()
    page = client.get("/consent/").content.decode()
    row = re.search(rf'<tr id="consent-{consent.pk}">(.*?)</tr>', page, re.S).group(1)
    assert consent_project.name in row and "v1" in row and "Its 1 capture will leave" in row
    r = client.post(f"/consent/{consent.pk}/withdraw/", {"reason": "changed my mind"})
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "changed my mind" and consent.withdrawn_at
    assert "Withdrawn" in client.get("/consent/").content.decode()
    other = sign(make_user(), consent_project)
    assert client.post(f"/consent/{other.pk}/withdraw/").status_code == 404


def test_the_worker_pages_read_in_korean(consent_project, worker, sign):
    sign(worker, consent_project)
    client = signed_in(worker, "ko")
    for url in ("/consent/", f"/consent/projects/{consent_project.pk}/"):
        page = client.get(url).content.decode()
        assert '<html lang="ko">' in page, url


def test_operators_find_a_consent_and_withdraw_it_with_a_reason(
    make_project, ask_consent, worker, operator, sign
):
    project = make_project()
    ask_consent(project, "third_party")
    consent = sign(worker, project, "Choi Yuna", third_party=True)
    client = signed_in(operator)
    assert 'href="/ops/consents/"' in client.get("/ops/users/").content.decode()
    page = client.get("/ops/consents/?q=yuna").content.decode()
    assert f'id="consent-{consent.pk}"' in page and worker.email in page
    assert "No consent matches." in client.get("/ops/consents/?q=nobody").content.decode()
    r = client.post(f"/ops/consents/{consent.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "This field is required." in r.content.decode()
    r = client.post(f"/ops/consents/{consent.pk}/withdraw/", {"reason": "asked by phone"})
    assert r.status_code == 302 and r["Location"] == f"/ops/consents/?q={consent.pk}"
    consent.refresh_from_db()
    assert consent.withdrawn_by == operator
    assert signed_in(worker).get("/ops/consents/").status_code == 403
