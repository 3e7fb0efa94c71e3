import pytest

from tracker.config import SETTINGS, load_config
from tracker.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "tracker.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    assert config.path is None
    assert config["http.retries"] == 3
    assert config.rules_dir == tmp_path / "rules"


def test_config_file_and_env_layer_over_defaults(tmp_path):
    path = write(tmp_path, '[http]\nretries = 5\nhost_delay = 2\n'
                           '[digest]\ntimezone = "Asia/Shanghai"\n')
    env = {"TRACKER_HTTP_RETRIES": "7", "TRACKER_DIGEST_RECIPIENTS": "a@x, b@y"}
    config = load_config(path, env=env)
    assert config["http.retries"] == 7
    assert config["http.host_delay"] == 2.0
    assert config["digest.timezone"] == "Asia/Shanghai"
    assert config["digest.recipients"] == ["a@x", "b@y"]


@pytest.mark.parametrize("text, fragment", [
    ("[http\nretries = 1", "not valid TOML"),
    ("[http]\nretry = 1", "unknown setting 'http.retry'"),
    ("[http]\nretries = 'three'", "'http.retries' must be int"),
    ("[smtp]\nsecurity = 'ssl'", "starttls, tls or none"),
    ("title = 'x'", "must be a table"),
    ("sources = 3", "[[sources]]"),
    ("[digest]\ntime = '7am'", "'digest.time' must be HH:MM"),
    ("[digest]\ntimezone = 'Mars/Olympus'", "unknown time zone"),
    ("[http]\nretries = -1", "'http.retries' must be 0 or more"),
])
def test_config_bad_file_names_file_key_and_expectation(tmp_path, text, fragment):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_config_bad_time_zone_suggests_the_right_name(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[digest]\ntimezone = 'Asia/Beijing'"), env={})
    assert "'digest.timezone': unknown time zone 'Asia/Beijing'" in str(err.value)
    assert 'Did you mean "Asia/Shanghai"?' in err.value.hint


def test_config_bad_env_value_is_named(tmp_path):
    with pytest.raises(ConfigError, match="TRACKER_HTTP_RETRIES"):
        load_config(None, env={"TRACKER_HTTP_RETRIES": "lots"})


def test_config_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", env={})


def test_config_cli_exit_code_2_without_traceback(cli, tmp_path):
    path = write(tmp_path, "[http]\nretries = 'x'\n")
    result = cli("--config", str(path), "export")
    assert result.exit_code == 2
    assert "must be int" in result.output and "Traceback" not in result.output


def test_config_every_setting_has_help_and_env_name():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for s in SETTINGS:
        assert s.help and s.env.startswith("TRACKER_")
