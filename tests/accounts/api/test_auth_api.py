"""Sign-up, tokens and members through the API, and how bad credentials are answered."""

from __future__ import annotations

import pytest

from datadam.accounts.models import ApiToken, Membership, Organization, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def test_a_worker_signs_up_and_the_token_works(api):
    r = api(None).post("auth/signup", {"email": "New@Example.test", "password": PASSWORD})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["role"] == "worker" and body["token"].startswith("dd_")
    me = api(None).get("me", headers={"Authorization": f"Bearer {body['token']}"}).json()
    assert (me["email"], me["role"], me["organizations"]) == ("new@example.test", "worker", [])
    assert ApiToken.objects.get(pk=body["id"]).digest != body["token"]


def test_a_client_signs_up_with_an_organization_it_owns(api):
    r = api(None).post(
        "auth/signup",
        {
            "email": "c@example.test",
            "password": PASSWORD,
            "role": "client",
            "organization_name": "Lab",
        },
    )
    assert r.status_code == 201
    user = User.objects.get(email="c@example.test")
    assert Membership.objects.get(user=user).level == "owner"
    assert Organization.objects.get(membership__user=user).name == "Lab"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, 422),
        ({"email": "a@example.test", "password": "short"}, 422),
        ({"email": "a@example.test", "password": "password123"}, 422),
        ({"email": "a@example.test", "password": PASSWORD, "role": "operator"}, 422),
        ({"email": "a@example.test", "password": PASSWORD, "role": "client"}, 422),
        ({"email": "x" * 300 + "@example.test", "password": PASSWORD}, 422),
        ({"email": "nul\u0000@example.test", "password": PASSWORD}, 422),
        ({"email": 5, "password": PASSWORD}, 422),
        ({"password": PASSWORD}, 422),
    ],
)
def test_bad_sign_ups_get_4xx_and_create_nobody(api, body, status):
    r = api(None).post("auth/signup", body)
    assert r.status_code == status, r.content
    assert not User.objects.exists()


def test_signing_up_twice_with_one_email_is_a_conflict(api):
    body = {"email": "twice@example.test", "password": PASSWORD}
    assert api(None).post("auth/signup", body).status_code == 201
    r = api(None).post("auth/signup", {**body, "email": "TWICE@example.test"})
    assert r.status_code == 409
    assert User.objects.count() == 1


def test_credentials_are_exchanged_for_a_new_token(make_user, api):
    user = make_user()
    r = api(None).post("auth/token", {"email": user.email.upper(), "password": "pw-secret-123"})
    assert r.status_code == 201
    assert r.json()["user_id"] == user.pk
    r = api(None).post("auth/token", {"email": user.email, "password": "wrong-password"})
    assert r.status_code == 403
    r = api(None).post("auth/token", {"email": "nobody@example.test", "password": "x"})
    assert r.status_code == 403


def test_a_suspended_user_cannot_get_a_token(make_user, api):
    user = make_user()
    user.is_active = False
    user.save()
    r = api(None).post("auth/token", {"email": user.email, "password": "pw-secret-123"})
    assert r.status_code == 403


def test_tokens_are_listed_without_their_secret_and_revoked_once(worker, api):
    client = api(worker)
    tokens = client.get("me/tokens").json()
    assert len(tokens) == 1 and "token" not in tokens[0] and tokens[0]["hint"].startswith("dd_")
    assert client.delete(f"me/tokens/{tokens[0]['id']}").status_code == 204
    assert client.get("me").status_code == 401


def test_an_owner_adds_a_member_who_can_manage_the_projects(client_org, make_project, api):
    owner, org = client_org
    project = make_project(items=1, launch=False)
    r = api(owner).post(
        f"organizations/{org.pk}/members", {"email": "colleague@example.test", "password": PASSWORD}
    )
    assert r.status_code == 201
    member = User.objects.get(email="colleague@example.test")
    assert api(member).get(f"projects/{project.pk}/stats").status_code == 200
    # A plain member cannot add members in turn.
    r = api(member).post(
        f"organizations/{org.pk}/members", {"email": "third@example.test", "password": PASSWORD}
    )
    assert r.status_code == 403


def test_operators_grant_the_reviewer_role_only_to_workers(operator, worker, client_org, api):
    ops = api(operator)
    r = ops.post(f"ops/users/{worker.pk}/reviewer", {"value": True})
    assert r.status_code == 200 and r.json()["is_reviewer"] is True
    r = ops.post(f"ops/users/{client_org[0].pk}/reviewer", {"value": True})
    assert r.status_code == 422
    assert ops.post(f"ops/users/{operator.pk}/active", {"value": False}).status_code == 422
