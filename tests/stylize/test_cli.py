from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image

from engine.errors import EngineError
from engine.params import StyleParams
from jobs.defaults import with_defaults
from styles.catalog import default_catalog
from stylize.cli import main
from tests.helpers import ROOT, SAMPLES, STARRY


def test_cli_writes_a_valid_image(tmp_path, capsys) -> None:
    out = tmp_path / "out.png"
    code = main(
        [
            str(SAMPLES / "cat.jpg"),
            "--style",
            str(STARRY),
            "-o",
            str(out),
            "--size",
            "64",
            "--steps",
            "2",
            "--quiet",
        ]
    )
    assert code == 0
    with Image.open(out) as img:
        assert img.format == "PNG" and max(img.size) == 64
    assert f"Wrote {out}" in capsys.readouterr().out


def test_cli_bad_input_is_one_line_and_nonzero(tmp_path, capsys) -> None:
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    code = main([str(bad), "--style", str(STARRY), "-o", str(tmp_path / "o.jpg")])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.startswith("stylize: error:") and "\n" not in err


def test_cli_rejects_bad_strength(tmp_path, capsys) -> None:
    code = main(
        [
            str(SAMPLES / "cat.jpg"),
            "--style",
            str(STARRY),
            "-o",
            str(tmp_path / "o.jpg"),
            "--strength",
            "3",
        ]
    )
    assert code == 1
    assert "strength" in capsys.readouterr().err


def test_cli_requires_a_style(tmp_path) -> None:
    with pytest.raises(SystemExit) as exc:
        main([str(SAMPLES / "cat.jpg"), "-o", str(tmp_path / "o.jpg")])
    assert exc.value.code == 2


def test_python_dash_m_stylize_end_to_end(tmp_path) -> None:
    out = tmp_path / "o.jpg"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stylize",
            str(SAMPLES / "coffee.jpg"),
            "--style",
            str(STARRY),
            "-o",
            str(out),
            "--size",
            "48",
            "--steps",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as img:
        assert img.format == "JPEG" and img.size == (48, 32)


def test_cli_artist_by_any_spelling(tmp_path, capsys) -> None:
    out = tmp_path / "o.jpg"
    code = main(
        [
            str(SAMPLES / "cat.jpg"),
            "--artist",
            "Ван Гог",
            "-o",
            str(out),
            "--size",
            "48",
            "--steps",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    assert "Vincent van Gogh" in capsys.readouterr().out
    assert out.stat().st_size > 0


def test_cli_unknown_artist_suggests(tmp_path, capsys) -> None:
    code = main([str(SAMPLES / "cat.jpg"), "--artist", "qwertyuiop", "-o", str(tmp_path / "o")])
    assert code == 1
    assert "No artist matches" in capsys.readouterr().err


def test_cli_lists_artists_and_writes_sheet(tmp_path, capsys) -> None:
    sheet = tmp_path / "sheet.png"
    assert main(["--list-artists", "--sheet", str(sheet)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("van-gogh") and "Starry Night" in line for line in lines)
    assert sum(1 for line in lines if not line.startswith("Wrote")) == len(default_catalog())
    with Image.open(sheet) as img:
        assert img.width > 500


def test_cli_lists_one_category(tmp_path, capsys) -> None:
    sheet = tmp_path / "mosaic.png"
    assert main(["--list-artists", "--category", "Мозаика", "--sheet", str(sheet)]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if not ln.startswith("Wrote")]
    assert [ln.split()[0] for ln in lines] == ["roman-mosaic"]
    with Image.open(sheet) as img:
        assert img.width == 256  # one tile


def test_cli_unknown_category(capsys) -> None:
    assert main(["--list-artists", "--category", "baroque"]) == 1
    err = capsys.readouterr().err
    assert "No category matches 'baroque'" in err and "stained-glass" in err


class _Stop(EngineError):
    pass


def _params_of_run(monkeypatch, tmp_path, *extra: str) -> StyleParams:
    seen: list[StyleParams] = []

    def fake_transfer(content, styles, params, **kwargs):
        seen.append(params)
        raise _Stop("stop")

    monkeypatch.setattr("engine.optimize.StyleTransfer", fake_transfer)
    argv = [str(SAMPLES / "cat.jpg"), "-o", str(tmp_path / "o.jpg"), "--quiet", *extra]
    assert main(argv) == 1
    return seen[0]


def test_cli_artist_uses_the_paintings_defaults(monkeypatch, tmp_path) -> None:
    entry = next(e for e in default_catalog() if e.defaults.changes())
    params = _params_of_run(monkeypatch, tmp_path, "--artist", entry.slug)
    assert params == with_defaults(StyleParams(), entry.defaults)
    assert params != StyleParams()
    # an explicit --strength wins over the painting's; --style runs get no defaults
    params = _params_of_run(monkeypatch, tmp_path, "--artist", entry.slug, "--strength", "0.9")
    assert params.strength == 0.9
    assert params.style_scale == (entry.defaults.style_scale or 1.0)
    assert _params_of_run(monkeypatch, tmp_path, "--style", str(STARRY)) == StyleParams()


def test_cli_ambiguous_artist_lists_the_works(tmp_path, capsys) -> None:
    code = main([str(SAMPLES / "cat.jpg"), "--artist", "Gustav Klimt", "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert "could be several paintings" in err and "The Kiss" in err and "Tree of Life" in err


def test_cli_stylises_a_clip(tmp_path, capsys) -> None:
    from engine.probe import probe
    from tests import clips

    clip = clips.pan(tmp_path / "clip.mp4")
    out = tmp_path / "out" / "styled.mp4"
    assert main([str(clip), "--artist", "hokusai", "--size", "64", "-o", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "instant" in printed and "with its sound" in printed
    info = probe(out)
    assert info.frames == clips.FPS and info.audio == "aac"


def test_cli_clip_needs_an_mp4_output(tmp_path, capsys) -> None:
    from tests import clips

    clip = clips.pan(tmp_path / "clip.gif", "gif")
    assert main([str(clip), "--artist", "hokusai", "-o", str(tmp_path / "x.gif")]) == 1
    assert "MP4" in capsys.readouterr().err
    assert not (tmp_path / "x.gif").exists()
