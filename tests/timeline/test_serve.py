import pytest

from timeline import serve
from timeline.errors import TimelineError

GOOD = "市政府召开发布会\n\n10月18日，枣庄市薛城区召开新闻发布会，介绍信用建设情况。\n".encode()


@pytest.fixture(autouse=True)
def fresh_caches():
    serve.clear_caches()
    yield
    serve.clear_caches()


def test_serve_analyses_are_cached_per_input():
    first = serve.analyse_input("a.txt", GOOD, None)
    assert serve.analyse_input("a.txt", GOOD, None) is first
    assert serve.analyse_input("b.txt", GOOD, None) is not first
    assert first.events and first.doc.source == "a.txt"
    assert serve.analyse_input.cache_info().currsize == 2


def test_serve_unreadable_input_raises_every_time_and_is_not_cached():
    binary = bytes(range(256)) * 8
    for _ in range(2):
        with pytest.raises(TimelineError):
            serve.analyse_input("binary.txt", binary, None)
    assert serve.analyse_input.cache_info().currsize == 0


def test_serve_timeline_is_built_once_and_each_caller_gets_a_copy():
    analyses = [serve.analyse_input("a.txt", GOOD, None)]
    first = serve.timeline_of(analyses)
    first.loc[:, "title"] = "changed"
    second = serve.timeline_of(analyses)
    assert (second["title"] != "changed").all()
    assert serve._timeline_of.cache_info().hits == 1


def test_serve_warm_analyses_the_seeds_before_the_server_starts():
    warmup = serve.warm()
    assert min(warmup.imports, warmup.analyses, warmup.views) >= 0
    assert warmup.total == pytest.approx(warmup.imports + warmup.analyses + warmup.views)
    seeds = serve.seed_inputs()
    assert len(seeds) == 5
    assert serve.analyse_input.cache_info().currsize == len(seeds)
    analyses = [serve.analyse_input(name, data, None) for name, data in seeds]
    assert serve.analyse_input.cache_info().hits == len(seeds)
    assert not serve.timeline_of(analyses).empty


def test_serve_main_warms_up_then_runs_the_app_from_the_repository_root(monkeypatch, tmp_path, capsys):
    import streamlit.web.cli

    calls = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(serve, "warm", lambda: calls.append(("warm",)) or serve.Warmup(1.0, 2.0, 0.5))
    monkeypatch.setattr(serve, "settle", lambda: calls.append(("settle",)))
    monkeypatch.setattr(streamlit.web.cli, "main", lambda **kwargs: calls.append(("run", kwargs)))
    serve.main(["--server.port", "8600"])
    assert calls == [
        ("warm",),
        ("settle",),
        ("run", {"args": ["run", str(serve.APP), "--server.port", "8600"], "prog_name": "streamlit"}),
    ]
    assert serve.ROOT.samefile(".")
    assert "warmed up in 3.5 s" in capsys.readouterr().out


def test_serve_settle_maps_loaded_modules_and_freezes_the_warm_heap():
    import gc
    import inspect

    import streamlit.web.cli  # loaded before settling, as main does

    inspect.modulesbyfile.clear()  # as in a process where nothing has asked yet
    inspect._filesbymodname.clear()
    try:
        serve.settle()
        assert gc.get_freeze_count() > 0
        # the first inspect.getmodule on a frame after settling finds its module without a scan
        assert inspect.getabsfile(streamlit.web.cli) in inspect.modulesbyfile
    finally:
        gc.unfreeze()
