import re
from pathlib import Path

import pytest

from streams.settings import (
    KAFKA_SCRIPT_VARIABLES,
    Settings,
    SettingsError,
    describe,
    process_env,
)


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.broker is None
    assert settings.broker_url == "kafka://127.0.0.1:9092"
    assert settings.partitions == 4
    assert settings.data_dir == Path("var")


def test_values_are_parsed_and_normalised() -> None:
    settings = Settings.from_env({
        "MEDIAWATCH_BROKER": "kafka.internal:9093",
        "MEDIAWATCH_PARTITIONS": "8",
        "MEDIAWATCH_TOPIC_PREFIX": "prod.",
        "MEDIAWATCH_LOG_LEVEL": "debug",
    })
    assert settings.broker == "kafka://kafka.internal:9093"
    assert settings.bootstrap_servers == "kafka.internal:9093"
    assert settings.partitions == 8
    assert settings.topic("alerts") == "prod.alerts"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(("name", "value"), [
    ("MEDIAWATCH_PARTITIONS", "zero"),
    ("MEDIAWATCH_PARTITIONS", "0"),
    ("MEDIAWATCH_BROKER", "http://host:9092"),
    ("MEDIAWATCH_BROKER", "kafka://host"),
    ("MEDIAWATCH_SLACK_WEBHOOK_URL", "not a url"),
    ("MEDIAWATCH_LOG_LEVEL", "loud"),
    ("MEDIAWATCH_METRICS_PORT", "70000"),
])
def test_malformed_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


@pytest.mark.parametrize(("name", "value"), [
    ("MEDIAWATCH_COMMIT_INTERVAL_SECONDS", "nan"),
    ("MEDIAWATCH_DEDUP_WINDOW_SECONDS", "1e400"),
    ("MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS", "NaN"),
    ("MEDIAWATCH_SESSION_TIMEOUT_SECONDS", "inf"),
    ("MEDIAWATCH_HOST_MIN_SPACING_SECONDS", "nan"),
    ("MEDIAWATCH_HOST_MIN_SPACING_SECONDS", "infinity"),
])
def test_a_number_setting_must_be_finite(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}='{value}' is malformed: expected a "
                                            "(positive )?finite number"):
        Settings.from_env({name: value})


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("MEDIAWATCH_METRICS_HOST", "0.0.0.0:9300", "without a port .*MEDIAWATCH_METRICS_PORT"),
    ("MEDIAWATCH_METRICS_HOST", "[::1]:9300", "without a port"),
    ("MEDIAWATCH_METRICS_HOST", "http://0.0.0.0", "without a port"),
    ("MEDIAWATCH_METRICS_HOST", "metrics host", "a host name or IPv4 address"),
    ("MEDIAWATCH_KAFKA_PORT", "0", "from 1 to 65535"),
    ("MEDIAWATCH_KAFKA_PORT", "65536", "from 1 to 65535"),
])
def test_a_metrics_host_and_the_broker_port_are_checked(name: str, value: str,
                                                        expected: str) -> None:
    with pytest.raises(SettingsError, match=f"^{re.escape(name)}=.* is malformed: .*{expected}"):
        Settings.from_env({name: value})
    assert Settings.from_env({"MEDIAWATCH_METRICS_HOST": "metrics.internal",
                              "MEDIAWATCH_KAFKA_PORT": "65535"}).metrics_host == "metrics.internal"


@pytest.mark.parametrize("name", [
    "MEDIAWATCH_APP_ID", "MEDIAWATCH_USER_AGENT", "MEDIAWATCH_KAFKA_SASL_USERNAME",
    "MEDIAWATCH_DATA_DIR", "MEDIAWATCH_RULES_FILE", "MEDIAWATCH_SLACK_WEBHOOK_URL_FILE",
    "MEDIAWATCH_METRICS_HOST",
])
def test_a_blank_value_is_refused_where_it_makes_no_sense(name: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}='  ' is malformed: expected"):
        Settings.from_env({name: "  "})


def test_a_blank_topic_prefix_is_no_prefix() -> None:
    assert Settings.from_env({"MEDIAWATCH_TOPIC_PREFIX": " "}).topic("alerts") == "alerts"


@pytest.mark.parametrize("value", ["kafka://svc:pa55w0rd@k1:9092",
                                   "k1:9092,svc:pa55w0rd@k2:9092", "svc@k1:9092",
                                   # urlparse raises on these, quoting the address
                                   "kafka://svc:pa55w0rd@[::1", "kafka://svc:pa55w0rd@k1＃:9092"])
def test_credentials_in_the_broker_url_are_refused_unshown(value: str) -> None:
    with pytest.raises(SettingsError, match=r"MEDIAWATCH_BROKER is malformed .*not shown.*"
                                           r"MEDIAWATCH_KAFKA_SASL_USERNAME") as error:
        Settings.from_env({"MEDIAWATCH_BROKER": value})
    assert "pa55w0rd" not in str(error.value) and "svc" not in str(error.value)


@pytest.mark.parametrize("value", ["kafka://[::1", "kafka://k1:99999"])
def test_a_broker_address_urllib_cannot_read_is_malformed(value: str) -> None:
    with pytest.raises(SettingsError, match=r"MEDIAWATCH_BROKER=.* is malformed: expected "
                                           r"kafka://host:port"):
        Settings.from_env({"MEDIAWATCH_BROKER": value})


def test_unknown_variable_is_refused_with_the_known_ones() -> None:
    with pytest.raises(SettingsError, match=r"MEDIAWATCH_PARTITONS.*known: .*PARTITIONS"):
        Settings.from_env({"MEDIAWATCH_PARTITONS": "4"})


def test_local_broker_script_variables_are_not_unknown() -> None:
    assert Settings.from_env({"MEDIAWATCH_KAFKA_DATA": "/tmp/x"}).kafka_port == 9092


def test_the_broker_script_variables_are_the_ones_it_reads() -> None:
    script = (Path(__file__).resolve().parents[3] / "deploy" / "kafka" / "kafka.sh").read_text()
    read = set(re.findall(r"MEDIAWATCH_KAFKA_\w+", script))
    assert read == {*KAFKA_SCRIPT_VARIABLES, "MEDIAWATCH_KAFKA_PORT"}
    assert Settings.from_env(dict.fromkeys(KAFKA_SCRIPT_VARIABLES, "1")) == Settings()


@pytest.mark.parametrize("name", ["MEDIAWATCH_KAFKA_SECURITY_PROTCOL",
                                  "MEDIAWATCH_KAFKA_SSL_CA_FLIE", "MEDIAWATCH_KAFKA_HOST"])
def test_a_misspelt_kafka_variable_is_unknown(name: str) -> None:
    with pytest.raises(SettingsError, match=rf"unknown setting {name}; known: .*"
                                            "MEDIAWATCH_KAFKA_SECURITY_PROTOCOL"):
        Settings.from_env({name: "SASL_SSL", "MEDIAWATCH_KAFKA_SASL_USERNAME": "svc"})


@pytest.mark.parametrize(("protocol", "name"), [
    ("PLAINTEXT", "MEDIAWATCH_KAFKA_SASL_USERNAME"),
    ("PLAINTEXT", "MEDIAWATCH_KAFKA_SASL_PASSWORD"),
    ("PLAINTEXT", "MEDIAWATCH_KAFKA_SASL_PASSWORD_FILE"),
    ("PLAINTEXT", "MEDIAWATCH_KAFKA_SSL_CA_FILE"),
    ("SSL", "MEDIAWATCH_KAFKA_SASL_USERNAME"),
    ("SASL_PLAINTEXT", "MEDIAWATCH_KAFKA_SSL_CA_FILE"),
])
def test_security_settings_the_protocol_does_not_use_are_refused(
        tmp_path: Path, protocol: str, name: str) -> None:
    pem = tmp_path / "file.pem"
    pem.write_text("x\n")
    env = {"MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": protocol, name: str(pem)}
    if protocol.startswith("SASL_"):
        env |= {"MEDIAWATCH_KAFKA_SASL_USERNAME": "svc", "MEDIAWATCH_KAFKA_SASL_PASSWORD": "pw"}
    with pytest.raises(SettingsError, match=f"^{name} is set but MEDIAWATCH_KAFKA_SECURITY_"
                                            f"PROTOCOL is {protocol} "):
        Settings.from_env(env)


def test_slack_url_from_file_and_never_in_repr(tmp_path: Path) -> None:
    secret = tmp_path / "slack"
    secret.write_text("https://hooks.example.com/services/T/B/secret\n")
    settings = Settings.from_env({"MEDIAWATCH_SLACK_WEBHOOK_URL_FILE": str(secret)})
    assert settings.slack_url() == "https://hooks.example.com/services/T/B/secret"
    bad = Settings.from_env({"MEDIAWATCH_SLACK_WEBHOOK_URL_FILE": str(tmp_path / "absent")})
    with pytest.raises(SettingsError, match="SLACK_WEBHOOK_URL_FILE"):
        bad.slack_url()


@pytest.mark.parametrize("value", [
    '"https://hooks.slack.com/services/T0/B0/quoted-secret"',  # quoted in a .env file
    "hooks.slack.com/services/T0/B0/no-scheme-secret",
    "https://[hooks.slack.com/services/T0/B0/broken-secret",
])
def test_a_malformed_secret_is_never_echoed(value: str) -> None:
    with pytest.raises(SettingsError, match="SLACK_WEBHOOK_URL") as error:
        Settings.from_env({"MEDIAWATCH_SLACK_WEBHOOK_URL": value})
    assert "secret" in str(error.value)
    assert "services" not in str(error.value) and "T0" not in str(error.value)


def test_the_slack_url_is_not_in_the_settings_repr() -> None:
    url = "https://hooks.slack.com/services/T0/B0/repr-secret"
    settings = Settings.from_env({"MEDIAWATCH_SLACK_WEBHOOK_URL": url})
    assert settings.slack_url() == url
    assert "repr-secret" not in repr(settings) and "repr-secret" not in str(settings)


def test_a_file_without_a_url_is_refused_without_its_content(tmp_path: Path) -> None:
    secret = tmp_path / "slack"
    secret.write_text("hooks.slack.com/services/T0/B0/file-secret\n")
    settings = Settings.from_env({"MEDIAWATCH_SLACK_WEBHOOK_URL_FILE": str(secret)})
    with pytest.raises(SettingsError, match="does not hold an http") as error:
        settings.slack_url()
    assert "file-secret" not in str(error.value)


def test_every_setting_is_documented() -> None:
    rows = describe()
    assert len(rows) == len({name for name, _default, _doc in rows})
    assert all(name.startswith("MEDIAWATCH_") and doc for name, _default, doc in rows)


def test_the_data_dir_is_described_as_the_worker_and_the_broker_script_use_it() -> None:
    doc = {name: doc for name, _default, doc in describe()}["MEDIAWATCH_DATA_DIR"]
    assert "created when missing" in doc and "must exist" not in doc
    assert "MEDIAWATCH_KAFKA_DATA" in doc and "MEDIAWATCH_KAFKA_DATA" in KAFKA_SCRIPT_VARIABLES


def test_several_bootstrap_servers() -> None:
    settings = Settings.from_env({"MEDIAWATCH_BROKER": "kafka://k1:9092, k2:9093;k3:9094"})
    assert settings.bootstrap_servers == "k1:9092,k2:9093,k3:9094"
    assert settings.faust_brokers == ["kafka://k1:9092", "kafka://k2:9093", "kafka://k3:9094"]
    assert settings.kafka_options() == {"bootstrap_servers": "k1:9092,k2:9093,k3:9094",
                                        "security_protocol": "PLAINTEXT"}
    assert settings.faust_credentials() is None
    with pytest.raises(SettingsError, match="MEDIAWATCH_BROKER"):
        Settings.from_env({"MEDIAWATCH_BROKER": "k1:9092,k2"})


def test_sasl_ssl_options_for_aiokafka_and_faust(tmp_path: Path) -> None:
    import ssl

    import faust

    password = tmp_path / "password"
    password.write_text("p4ss\n")
    settings = Settings.from_env({
        "MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": "sasl_ssl",
        "MEDIAWATCH_KAFKA_SASL_MECHANISM": "scram-sha-512",
        "MEDIAWATCH_KAFKA_SASL_USERNAME": "svc", "MEDIAWATCH_KAFKA_SASL_PASSWORD_FILE":
            str(password)})
    options = settings.kafka_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "svc" and options["sasl_plain_password"] == "p4ss"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    credentials = settings.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.mechanism.value == "SCRAM-SHA-512" and credentials.ssl_context
    assert "p4ss" not in repr(settings)


@pytest.mark.parametrize(("env", "message"), [
    ({"MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "KAFKA_SASL_USERNAME"),
    ({"MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
    ({"MEDIAWATCH_KAFKA_SASL_MECHANISM": "GSSAPI"}, "KAFKA_SASL_MECHANISM"),
    ({"MEDIAWATCH_KAFKA_SSL_CA_FILE": "/nonexistent/ca.pem"}, "KAFKA_SSL_CA_FILE"),
])
def test_security_settings_are_checked_at_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_a_client_certificate_needs_its_key(tmp_path: Path) -> None:
    cert = tmp_path / "client.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    with pytest.raises(SettingsError, match="KAFKA_SSL_KEY_FILE"):
        Settings.from_env({"MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": "SSL",
                           "MEDIAWATCH_KAFKA_SSL_CERT_FILE": str(cert)})


def test_process_env_is_read_back_as_the_same_settings(tmp_path: Path) -> None:
    base = {"PATH": "/bin", "MEDIAWATCH_PARTITIONS": "12", "MEDIAWATCH_BOGUS": "x"}
    env = process_env(base, broker="kafka://10.0.0.5:9092", partitions=3, data_dir=tmp_path,
                      dedup_window_seconds=0.1 + 0.2, fetch_article_pages=True,
                      topic_prefix=None)
    assert env["PATH"] == "/bin"
    assert "MEDIAWATCH_BOGUS" not in env  # the base's own settings are not inherited
    settings = Settings.from_env(env)
    assert settings == Settings(broker="kafka://10.0.0.5:9092", partitions=3,
                                data_dir=tmp_path, dedup_window_seconds=0.1 + 0.2,
                                fetch_article_pages=True)


def test_process_env_refuses_a_name_that_is_not_a_setting() -> None:
    with pytest.raises(SettingsError, match="not a setting: partitons"):
        process_env({}, partitons=3)
