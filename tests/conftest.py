"""Shared fixtures: people of every role, projects ready for work, API clients."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from datadam.accounts.models import Membership, Organization, Role, User
from datadam.accounts.services import token_create
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.rewards.services import account_topup

_seq = itertools.count(1)
PASSWORD = "pw-secret-123"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this is safe (it is: the loop never runs our code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Every test starts in the site's default language. A request in Korean through the
    test client leaves Korean active in the thread (LocaleMiddleware activates it and
    nothing resets it), which changed the messages of whatever test ran next."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


class ApiClient:
    """A Django test client that sends a bearer token and speaks JSON."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, raw = token_create(user=user, name="test")
            self.headers["Authorization"] = f"Bearer {raw}"

    def _call(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        fn = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": {**self.headers, **extra.pop("headers", {})}}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        kwargs.update(extra)
        return fn(url, **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self._call("get", path, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("post", path, {} if data is None else data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("patch", path, data or {}, **extra)

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("put", path, data or {}, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self._call("delete", path, **extra)

    def upload(self, path: str, name: str, content: bytes, **query: str) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = f"/api/v1/{path}"
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return self.client.post(
            url, {"file": SimpleUploadedFile(name, content)}, headers=self.headers
        )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(role: str = Role.WORKER, *, reviewer: bool = False, email: str = "") -> User:
        n = next(_seq)
        email = email or f"{role}{n}@example.test"
        if role == Role.OPERATOR:
            return User.objects.create_superuser(email, PASSWORD)
        return User.objects.create_user(email, PASSWORD, role=role, is_reviewer=reviewer)

    return make


@pytest.fixture
def operator(make_user) -> User:
    return make_user(Role.OPERATOR)


@pytest.fixture
def make_client_org(make_user, operator) -> Callable[..., tuple[User, Organization]]:
    """A client user owning a new organization credited with ``credit`` points."""

    def make(credit: int = 1_000_000) -> tuple[User, Organization]:
        user = make_user(Role.CLIENT)
        org = Organization.objects.create(name=f"Org {user.pk}")
        Membership.objects.create(organization=org, user=user, level=Membership.Level.OWNER)
        if credit:
            account_topup(operator=operator, organization=org, amount=credit)
        return user, org

    return make


@pytest.fixture
def client_org(make_client_org) -> tuple[User, Organization]:
    return make_client_org()


@pytest.fixture
def make_project(client_org) -> Callable[..., Project]:
    """A text classification project with ``items`` items, launched unless ``launch=False``."""

    def make(
        *,
        items: int = 5,
        overlap: int = 1,
        reward: int = 10,
        review_reward: int = 2,
        launch: bool = True,
        owner: tuple[User, Organization] | None = None,
        **fields: Any,
    ) -> Project:
        user, org = owner or client_org
        fields.setdefault("config", {"labels": ["pos", "neg", "neu"]})
        project = project_create(
            user=user,
            organization_id=org.pk,
            name=f"P{next(_seq)}",
            kind=fields.pop("kind", "text_classification"),
            reward=reward,
            review_reward=review_reward,
            overlap=overlap,
            **fields,
        )
        if items:
            report = items_import(
                user=user,
                project_id=project.pk,
                lines=parse_records([{"text": f"text {i}"} for i in range(items)]),
            )
            assert report.ok, report.errors
        if launch:
            project = project_launch(user=user, project_id=project.pk)
        project.refresh_from_db()
        return project

    return make


@pytest.fixture
def api() -> Callable[[User | None], ApiClient]:
    return ApiClient


@pytest.fixture(scope="session")
def api_client_class() -> type[ApiClient]:
    """``ApiClient`` for fixtures wider than one test (``api`` is per test)."""
    return ApiClient


# --- Browser tests (Playwright driving Debian's chromium) ------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync",
                  # Capture widgets: Chromium's fake camera and microphone, allowed without a
                  # prompt (pages that never ask for them are unaffected).
                  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        )
        yield b
        b.close()


def _page(browser: Any, live_server: Any, request: Any, locale: str, mobile: bool) -> Iterator[Any]:
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 860}
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport=viewport,
        extra_http_headers={"Accept-Language": locale},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Any]:
    """A desktop browser tab in English on the live server; screenshot saved at the end."""
    yield from _page(browser, live_server, request, "en-US", mobile=False)


@pytest.fixture
def ko_page(browser, live_server, request) -> Iterator[Any]:
    """The same in Korean (Accept-Language: ko-KR)."""
    yield from _page(browser, live_server, request, "ko-KR", mobile=False)


@pytest.fixture
def phone_page(browser, live_server, request) -> Iterator[Any]:
    """A phone-sized tab (390×844), English."""
    yield from _page(browser, live_server, request, "en-US", mobile=True)


@pytest.fixture
def ko_phone_page(browser, live_server, request) -> Iterator[Any]:
    """A phone-sized tab (390×844) in Korean."""
    yield from _page(browser, live_server, request, "ko-KR", mobile=True)


def login(page: Any, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real log-in form."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


@pytest.fixture
def browser_login() -> Callable[..., None]:
    return login


# --- Helpers for the spine's tests -------------------------------------------------------------
@pytest.fixture
def worker(make_user) -> User:
    return make_user(Role.WORKER)


@pytest.fixture
def reviewer(make_user) -> User:
    return make_user(Role.WORKER, reviewer=True)


@pytest.fixture
def ledger_ok() -> Callable[[], None]:
    """An assertion to call at the end of a scenario: the points ledger is consistent.

    Every transaction has at least two entries summing to zero, every cached balance equals the
    sum of its account's entries (``ledger_verify``), only the outside world goes negative, and
    all balances together sum to zero (points are moved, never made).
    """
    from django.db.models import Count, Sum

    from datadam.rewards.models import Account, AccountKind, LedgerEntry, LedgerTransaction
    from datadam.rewards.services import ledger_verify

    def check() -> None:
        assert ledger_verify() == []
        per_txn = (
            LedgerTransaction.objects.annotate(n=Count("entries"), total=Sum("entries__amount"))
            .values_list("key", "n", "total")
        )
        for key, n, total in per_txn:
            assert n >= 2 and total == 0, f"transaction {key}: {n} entries summing to {total}"
        negative = Account.objects.filter(balance__lt=0).exclude(kind=AccountKind.EXTERNAL)
        assert not negative.exists(), list(negative.values("kind", "balance"))
        assert (Account.objects.aggregate(s=Sum("balance"))["s"] or 0) == 0
        assert (LedgerEntry.objects.aggregate(s=Sum("amount"))["s"] or 0) == 0

    return check


@pytest.fixture
def do_work() -> Callable[..., Any]:
    """Claim the next item of ``project`` for ``worker`` and submit ``answer``: the Submission."""
    from datadam.work.services import assignment_claim, assignment_submit

    def do(project: Project, worker: User, answer: Any = None, **kwargs: Any) -> Any:
        assignment = assignment_claim(worker=worker, project_id=project.pk)
        assert assignment is not None, "no task left to claim"
        submission, created = assignment_submit(
            worker=worker,
            assignment_id=assignment.pk,
            answer={"label": "pos"} if answer is None else answer,
            **kwargs,
        )
        assert created
        return submission

    return do


@pytest.fixture
def balance_of() -> Callable[[Any], int]:
    """The cached balance of a user's worker account, an organization's or a project's escrow."""
    from datadam.rewards.models import Account, AccountKind

    def balance(owner: Any) -> int:
        if isinstance(owner, Organization):
            qs = Account.objects.filter(kind=AccountKind.ORGANIZATION, organization=owner)
        elif isinstance(owner, Project):
            qs = Account.objects.filter(kind=AccountKind.ESCROW, project=owner)
        else:
            qs = Account.objects.filter(kind=AccountKind.WORKER, user=owner)
        return qs.values_list("balance", flat=True).first() or 0

    return balance


@pytest.fixture
def in_thread() -> Callable[..., Any]:
    """Start ``fn()`` in a thread with its own database connection (closed when done); its
    result, or the exception it raised, goes to ``out[key]``. ``wrapper``: a
    ``connection.execute_wrapper`` for the thread's statements (to pause it at a point).
    Use with ``@pytest.mark.django_db(transaction=True)``."""
    import threading

    from django.db import connection

    def start(out: dict[str, Any], key: str, fn: Callable[[], Any], wrapper: Any = None):
        def target() -> None:
            try:
                if wrapper is None:
                    out[key] = fn()
                else:
                    with connection.execute_wrapper(wrapper):
                        out[key] = fn()
            except BaseException as exc:  # noqa: BLE001 - reported to the test
                out[key] = exc
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        return thread

    return start


@pytest.fixture
def pg_connect() -> Callable[[], Any]:
    """A plain psycopg connection to the test database: another transaction that holds
    locks while the code under test runs (PostgreSQL only)."""
    import psycopg
    from django.db import connection

    def connect() -> Any:
        s = connection.settings_dict
        return psycopg.connect(psycopg.conninfo.make_conninfo(
            dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"],
            port=s["PORT"] or 5432))  # fmt: skip

    return connect


@pytest.fixture
def race() -> Callable[..., list[Any]]:
    """Run ``fn(i)`` in ``n`` threads released together; each result, or the exception raised.

    Each thread has its own database connection and closes it when done. Use with
    ``@pytest.mark.django_db(transaction=True)`` so the threads see the test's data.
    """
    import threading

    from django.db import connection

    def run(n: int, fn: Callable[[int], Any], timeout: float = 60) -> list[Any]:
        barrier = threading.Barrier(n)
        results: list[Any] = [None] * n

        def target(i: int) -> None:
            try:
                barrier.wait(timeout)
                results[i] = fn(i)
            except BaseException as exc:  # noqa: BLE001 - reported to the test
                results[i] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout)
        assert not any(t.is_alive() for t in threads), "a thread is stuck"
        return results

    return run


@pytest.fixture(autouse=True)
def _fresh_duplicate_index() -> Iterator[None]:
    """The near-duplicate index is a per-process cache of committed rows; a test's rows are
    rolled back after it, so each test starts with the index rebuilt from its own data."""
    from datadam.collection import dedup

    dedup.forget()
    yield
    dedup.forget()


def load_harness(name: str, path: Path) -> Any:
    """A browser-test harness module (a URLconf with its own views) loaded from its file once,
    under ``name``, so that ``settings.ROOT_URLCONF = name`` finds it."""
    import importlib.util
    import sys

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
