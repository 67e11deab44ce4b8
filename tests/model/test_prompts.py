from pathlib import Path
from types import SimpleNamespace

import pytest

from summarize.model.prompts import PromptError, load_prompt, prompts_dir

ARTICLE = SimpleNamespace(
    id="a-1",
    title="Putin, Obama talk",
    published_text="15 July 2016",
    body="MOSCOW - The leaders spoke.",
)


def test_shipped_prompt_renders_system_and_user_messages() -> None:
    sentences = ["MOSCOW - The leaders spoke.", "They agreed."]
    messages = load_prompt().render(article=ARTICLE, sentences=sentences)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "numbers of the sentences" in messages[0]["content"]
    user = messages[1]["content"]
    assert "<article>\n[1] MOSCOW - The leaders spoke.\n[2] They agreed.\n</article>" in user
    assert "Published: 15 July 2016" in user


def test_the_article_comes_last_so_every_request_shares_one_prefix() -> None:
    """Providers cache a prompt's common prefix: nothing per-article may precede the
    instructions, and the article text closes the request."""
    messages = load_prompt().render(article=ARTICLE, sentences=["MOSCOW - The leaders spoke."])
    other = SimpleNamespace(id="b-2", title="Other", published_text=None, body="x")
    again = load_prompt().render(article=other, sentences=["Lavrov met Blinken."])
    assert messages[0] == again[0]
    assert messages[1]["content"].endswith("</article>")
    assert "a-1" not in messages[0]["content"]


def test_version_is_the_content_hash(tmp_path: Path) -> None:
    original = (prompts_dir() / "extract.j2").read_text(encoding="utf-8")
    copy = tmp_path / "copy.j2"
    copy.write_text(original, encoding="utf-8")
    assert load_prompt(copy).version == load_prompt().version
    copy.write_text(original + "\n", encoding="utf-8")
    assert load_prompt(copy).version != load_prompt().version


def test_missing_block_and_file_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.j2"
    bad.write_text("{% block system %}hi{% endblock %}", encoding="utf-8")
    with pytest.raises(PromptError, match="no 'user' block"):
        load_prompt(bad).render(article=ARTICLE)
    with pytest.raises(PromptError, match="cannot read prompt template"):
        load_prompt(tmp_path / "absent.j2")


def test_undefined_variables_fail_loudly(tmp_path: Path) -> None:
    bad = tmp_path / "typo.j2"
    bad.write_text(
        "{% block system %}x{% endblock %}{% block user %}{{ artcle.body }}{% endblock %}"
    )
    with pytest.raises(PromptError, match="artcle"):
        load_prompt(bad).render(article=ARTICLE)
