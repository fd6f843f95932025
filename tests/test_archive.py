"""Archive layout, safe names, atomic writes and the index (scraper/archive.py)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper import archive
from scraper.archive import (
    ArchiveIndex,
    atomic_write,
    date_dirs,
    document_relpath,
    is_numbered_variant,
    is_safe_relpath,
    numbered,
    site_dirname,
    slugify,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Top Iranian Cmdr. in Iraq, meets counterpart", "top-iranian-cmdr-in-iraq-meets-counterpart"),
        ("Iran's “very close” stance: Gaza", "irans-very-close-stance-gaza"),
        ("Général Straße Øresund", "general-strasse-oresund"),
        (
            "Bahnstrecke Hamburg–Bremen: Sanierung dauert länger",
            "bahnstrecke-hamburg-bremen-sanierung-dauert-langer",
        ),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con_"),
        ("nul", "nul_"),
        ("  ---  ", ""),
        ("العراق", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slug_is_bounded_at_a_word_boundary() -> None:
    slug = slugify("word " * 60)
    assert len(slug) <= archive.MAX_COMPONENT
    assert slug.endswith("word") and not slug.endswith("-")


def test_layout_with_date_site_and_title() -> None:
    path = document_relpath(
        site="Press TV",
        url="https://www.presstv.ir/Detail/2024/03/05/1",
        title="Big news",
        published="2024-03-05T10:00:00+03:30",
    )
    assert path == PurePosixPath("press-tv/2024/03/big-news.txt")


def test_layout_falls_back_to_host_url_path_and_input_name() -> None:
    assert document_relpath(
        site=None, url="https://www.Example.com/2024/03/some-story.html", title=None, published=None
    ) == PurePosixPath("example.com/undated/some-story.txt")
    assert document_relpath(
        site=None, url=None, title="العراق", published="2023-12-03", input_stem="000_abc"
    ) == PurePosixPath("unknown-site/2023/12/000-abc.txt")
    assert document_relpath(site="", url=None, title=None, published=None, input_stem="...") == PurePosixPath(
        "unknown-site/undated/document.txt"
    )


@pytest.mark.parametrize(
    ("published", "dirs"),
    [
        ("2024-03-05", ("2024", "03")),
        ("2023-12-03T15:13:00+00:00", ("2023", "12")),
        (None, ("undated",)),
        ("2024-13-01", ("undated",)),
        ("yesterday", ("undated",)),
        ("20240305", ("undated",)),
    ],
)
def test_date_dirs(published: str | None, dirs: tuple[str, ...]) -> None:
    assert date_dirs(published) == dirs


def test_site_dirname_is_safe() -> None:
    assert site_dirname(None, "http://con.example/x") == "con.example_"
    assert site_dirname(None, "http://xn--bcher-kva.example/") == "bucher.example"
    assert site_dirname(None, "not a url") == "unknown-site"
    assert site_dirname("..", None) == "unknown-site"
    assert site_dirname("KestrelBayCourier.example", None) == "kestrelbaycourier.example"
    assert site_dirname("www.Nul.example", None) == "nul.example_"
    assert site_dirname("الساحل اليوم", "https://alsahil-today.example/x") == "alsahil-today.example"


def test_numbered_variants() -> None:
    wanted = PurePosixPath("s/2024/03/news.txt")
    assert numbered(wanted, 1) == wanted
    assert numbered(wanted, 3) == PurePosixPath("s/2024/03/news-3.txt")
    assert is_numbered_variant("s/2024/03/news-12.txt", wanted)
    assert not is_numbered_variant("s/2024/03/news-1.txt", wanted)
    assert not is_numbered_variant("s/2024/03/news-x.txt", wanted)
    assert not is_numbered_variant("s/2024/04/news-2.txt", wanted)


@settings(max_examples=300, deadline=None)
@given(
    title=st.one_of(st.none(), st.text()),
    site=st.one_of(st.none(), st.text()),
    url=st.one_of(st.none(), st.text(), st.builds(lambda s: "http://" + s, st.text())),
    published=st.one_of(st.none(), st.text(), st.dates().map(str)),
    stem=st.one_of(st.none(), st.text()),
)
def test_any_metadata_gives_a_safe_path_inside_the_archive(
    title: str | None, site: str | None, url: str | None, published: str | None, stem: str | None
) -> None:
    relpath = document_relpath(site=site, url=url, title=title, published=published, input_stem=stem)
    assert is_safe_relpath(relpath), relpath
    assert 3 <= len(relpath.parts) <= 4
    root = Path("/archive-root")
    resolved = Path(os.path.normpath(root / relpath))
    assert root in resolved.parents
    assert all(len(part) <= archive.MAX_COMPONENT + 4 for part in relpath.parts)


def test_is_safe_relpath_rejects_escapes() -> None:
    for bad in ("../x.txt", "/etc/x.txt", "a/.hidden.txt", "a/CON.txt", "a/con.txt", "a/b\\c.txt", "."):
        assert not is_safe_relpath(PurePosixPath(bad)), bad


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic_write(target, b"one\n")
    atomic_write(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.txt"]


def test_atomic_write_failure_keeps_old_file_and_removes_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.txt"
    atomic_write(target, b"old\n")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.os, "replace", failing_replace)
    with pytest.raises(OSError):
        atomic_write(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["b.txt"]


def test_index_assigns_stable_collision_free_paths(tmp_path: Path) -> None:
    wanted = PurePosixPath("site/undated/news.txt")
    with ArchiveIndex(tmp_path) as index:
        first = index.assign_path("a.html", wanted)
        index.record_document("a.html", "a.html", first)
        second = index.assign_path("b.html", wanted)
        index.record_document("b.html", "b.html", second)
        assert (first, second) == ("site/undated/news.txt", "site/undated/news-2.txt")
    with ArchiveIndex(tmp_path) as index:  # reopened: every document keeps its path
        assert index.assign_path("b.html", wanted) == "site/undated/news-2.txt"
        assert index.assign_path("a.html", wanted) == "site/undated/news.txt"
        assert index.assign_path("c.html", wanted) == "site/undated/news-3.txt"
        # a document whose title changed moves to its new name
        assert (
            index.assign_path("b.html", PurePosixPath("site/undated/other.txt")) == "site/undated/other.txt"
        )


def test_index_unchanged_needs_same_hash_config_and_files(tmp_path: Path) -> None:
    with ArchiveIndex(tmp_path) as index:
        atomic_write(tmp_path / "s/undated/x.txt", b"x\n")
        index.record_document("x.html", "x.html", "s/undated/x.txt")
        index.record_input("x.html", "abc", "v1")
        assert index.is_unchanged("x.html", "abc", "v1")
        assert not index.is_unchanged("x.html", "abd", "v1")
        assert not index.is_unchanged("x.html", "abc", "v2")
        assert not index.is_unchanged("y.html", "abc", "v1")
        (tmp_path / "s/undated/x.txt").unlink()
        assert not index.is_unchanged("x.html", "abc", "v1")


def test_remove_file_never_leaves_the_archive(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    outside = tmp_path / "precious.txt"
    outside.write_text("not the archive's")
    owned = root / "site" / "2024" / "03" / "story.txt"
    owned.parent.mkdir(parents=True)
    owned.write_text("ours")
    for bad in ("../precious.txt", str(outside), "site/../../precious.txt"):
        archive.remove_file(root, bad)  # a damaged index names these: left alone
    assert outside.exists()
    archive.remove_file(root, "site/2024/03/story.txt")
    assert not owned.exists() and not (root / "site").exists() and root.is_dir()
