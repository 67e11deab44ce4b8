"""Counting a source's inputs by name before a run, for its progress total."""

from __future__ import annotations

from pathlib import Path

from summarize.sources.read import count_inputs


def test_a_folder_counts_its_article_files_at_any_depth_and_not_the_others(
    tmp_path: Path,
) -> None:
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    for name in ("a.txt", "deep/b.html", "deep/deeper/c.jsonl", "deep/d.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")

    assert count_inputs(tmp_path) == 4


def test_a_url_list_counts_its_urls_and_a_url_or_file_counts_one(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# pages\nhttps://a.example/1\n\nhttps://b.example/2\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("The ministers met in Oslo.\n", encoding="utf-8")

    assert count_inputs(listing) == 2
    assert count_inputs(article) == 1
    assert count_inputs("https://a.example/1") == 1
