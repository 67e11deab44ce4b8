"""The shipped recordings: seed replay is complete, deterministic and secret-free."""

import json
from pathlib import Path

import pytest
from conftest import evidences
from recording_checks import scan_for_secrets
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.model.prompts import prompts_dir
from summarize.sources.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "recordings"


def _replay(out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["run", str(SEEDS), "--replay", "--out", str(out), "--recordings", str(RECORDINGS), *extra],
    )
    return result.exit_code, result.output


def test_every_seed_has_a_recording() -> None:
    seeds = sorted(p.stem for p in SEEDS.glob("*.txt"))
    recorded = sorted(p.stem.rsplit("-", 1)[0] for p in RECORDINGS.glob("*.json"))
    assert recorded == seeds


def test_replay_of_the_seeds_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    code, output = _replay(first)
    assert code == 0, output
    assert _replay(second)[0] == 0
    briefs = sorted((first / "briefs").glob("*.json"))
    assert len(briefs) == 5
    for path in briefs:
        assert path.read_bytes() == (second / "briefs" / path.name).read_bytes(), path.name
    manifest = json.loads((first / "run.json").read_text())
    assert manifest["counts"]["done"] == 5
    assert manifest["recording"] == "replay"


def test_every_quote_of_the_replayed_briefs_is_the_article_files_own_text(
    tmp_path: Path,
) -> None:
    code, output = _replay(tmp_path / "out")
    assert code == 0, output
    texts = {a.id: a.text for a in iter_articles(SEEDS) if isinstance(a, Article)}
    spans = 0
    for path in sorted((tmp_path / "out" / "briefs").glob("*.json")):
        brief = Brief.model_validate_json(path.read_bytes())
        text = texts[brief.article_id]
        for evidence in evidences(brief):
            assert evidence.sentences, path.name
            for span in evidence.spans():
                assert text[span.start : span.end] == span.quote, path.name
                spans += 1
    assert spans > 0, "the recorded model cited something"


def test_a_changed_prompt_makes_replay_fail_naming_the_prompt(tmp_path: Path) -> None:
    changed = tmp_path / "extract.j2"
    original = (prompts_dir() / "extract.j2").read_text(encoding="utf-8")
    changed.write_text(original.replace("event coder", "careful event coder"), encoding="utf-8")
    code, _ = _replay(tmp_path / "out", "--prompt", str(changed))
    assert code == 1
    errors = [
        json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()
    ]
    assert len(errors) == 5
    for error in errors:
        assert error["stage"] == "replay"
        assert "prompt" in error["cause"].lower()
        assert "--record" in error["cause"]


@pytest.mark.parametrize("folder", ["fixtures"])
def test_no_secret_anywhere_in_fixtures(folder: str) -> None:
    assert scan_for_secrets(ROOT / folder) == []
