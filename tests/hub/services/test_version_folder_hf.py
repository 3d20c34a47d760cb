"""A version's folder, downloaded file by file through the API, loads with
``datasets.load_dataset(folder)`` as it is, and its manifest checks every file."""

from __future__ import annotations

import hashlib
import json

import pytest

from datadam.hub.models import VersionFile


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """The datasets library without the network, its caches in the test's folder."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def _download_folder(client, published, folder):
    """Every file of version 1 saved under ``folder`` as the API serves it."""
    paths = list(VersionFile.objects.filter(version=published.latest).values_list("path",
                                                                                  flat=True))
    for path in paths:
        response = client.get(f"/api/v1/hub/datasets/{published.pk}/versions/1/files/{path}")
        assert response.status_code == 200, path
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(response.streaming_content))
    return sorted(paths)


def test_a_downloaded_version_folder_loads_with_datasets_as_it_is(published, client, tmp_path,
                                                                 offline):
    from datasets import load_dataset

    folder = tmp_path / "sentiment-v1"
    paths = _download_folder(client, published, folder)
    assert paths == ["README.md", "SHA256SUMS", "data/train-00000-of-00001.parquet",
                     "train.jsonl"]
    ds = load_dataset(str(folder), split="train", cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == 4
    assert sorted(ds["label"]) == ["neg", "neu", "pos", "pos"]
    assert json.loads(ds[0]["data"])["text"].startswith("text ")
    readme = (folder / "README.md").read_text()
    assert "license: cc-by-4.0" in readme and "- \"en\"" in readme
    assert "Measured accuracy" in readme


def test_the_manifest_holds_the_sha256_of_every_other_file(published, client, tmp_path):
    folder = tmp_path / "v1"
    _download_folder(client, published, folder)
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(listed) == ["README.md", "data/train-00000-of-00001.parquet", "train.jsonl"]
    for path, digest in listed.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest
