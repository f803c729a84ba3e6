"""HttpClient: contact header, timeouts, retries, back-off, rate limits and secret hygiene.

No test waits: the client gets a fake clock whose ``sleep`` only records the delay and moves
time forward, so both retry back-off and rate-limit spacing are observable.
"""

from __future__ import annotations

import errno
import logging
import socket
import traceback
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from spinelib import __version__
from spinelib.errors import NetworkError, Offline, ServiceError
from spinelib.settings import Settings
from spinelib.sources.http import (
    MAX_RETRY_AFTER,
    HttpClient,
    parse_interval,
    parse_retry_after,
    user_agent,
)

URL = "http://eutils.test/entrez/eutils/efetch.fcgi"
SECRET = "SECRETKEY1234567890"


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(clock: FakeClock, **changes: object) -> HttpClient:
    settings = Settings(email="tests@example.org", max_retries=3)
    for key, value in changes.items():
        setattr(settings, key, value)
    return HttpClient(settings, sleep=clock.sleep, clock=clock.clock)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# -- headers, timeouts ------------------------------------------------------------------------

@responses.activate
def test_user_agent_names_spinelib_and_contact(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    make_client(clock).get("ncbi", URL)
    ua = responses.calls[0].request.headers["User-Agent"]
    assert ua == f"SpineLib/{__version__} (mailto:tests@example.org)"


def test_user_agent_without_email_has_no_mailto() -> None:
    assert user_agent("") == f"SpineLib/{__version__}"
    assert "mailto" not in user_agent("   ")


@responses.activate
def test_every_call_has_timeouts_and_tls_verification(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    responses.post(URL, body="ok")
    client = make_client(clock, connect_timeout=3.5, read_timeout=12.0)
    client.get("ncbi", URL, params={"db": "pubmed"})
    client.post("ncbi", URL, data={"id": "1,2"})
    for call in responses.calls:
        kwargs = call.request.req_kwargs  # type: ignore[attr-defined]  # set by responses
        assert kwargs["timeout"] == (3.5, 12.0)
        assert kwargs["verify"] not in (False, None, "")
    assert responses.calls[1].request.body == "id=1%2C2"


@responses.activate
def test_404_is_returned_for_the_caller_to_map(clock: FakeClock) -> None:
    responses.get(URL, status=404, body="Resource not found.")
    response = make_client(clock).get("crossref", URL)
    assert response.status_code == 404
    assert len(responses.calls) == 1
    assert clock.sleeps == []


def test_unknown_service_is_a_programming_error(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        make_client(clock).get("openalex", URL)


# -- retries ----------------------------------------------------------------------------------

@responses.activate
def test_429_waits_for_retry_after_then_succeeds(clock: FakeClock) -> None:
    responses.get(URL, status=429, headers={"Retry-After": "7"}, body="slow down")
    responses.get(URL, body="ok")
    response = make_client(clock).get("ncbi", URL)
    assert response.text == "ok"
    assert len(responses.calls) == 2
    # The only wait is the one the server asked for (the rate limit is already satisfied).
    assert clock.sleeps == [7.0]


@responses.activate
def test_retry_after_is_capped(clock: FakeClock) -> None:
    responses.get(URL, status=503, headers={"Retry-After": "3600"})
    responses.get(URL, body="ok")
    make_client(clock).get("europepmc", URL)
    assert clock.sleeps == [MAX_RETRY_AFTER]


def test_retry_after_http_date() -> None:
    now = datetime(2026, 6, 16, 13, 35, 12, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(30.0)
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True),
                             now=now) == 0.0
    assert parse_retry_after("next tuesday") is None
    assert parse_retry_after(None) is None


@responses.activate
def test_500_then_success_backs_off_with_bounded_jitter(clock: FakeClock) -> None:
    responses.get(URL, status=500, body="oops")
    responses.get(URL, status=502, body="oops")
    responses.get(URL, body="ok")
    assert make_client(clock).get("crossref", URL).text == "ok"
    assert len(responses.calls) == 3
    first, second = clock.sleeps
    assert 1.0 <= first <= 1.25
    assert 2.0 <= second <= 2.5


@responses.activate
def test_5xx_still_failing_after_retries_is_a_network_error(clock: FakeClock) -> None:
    responses.get(URL, status=503, body="down")
    with pytest.raises(NetworkError, match=r"PubMed is not working \(HTTP 503, 4 attempts\)"):
        make_client(clock).get("ncbi", URL)
    assert len(responses.calls) == 4  # max_retries=3 -> 4 attempts


@responses.activate
def test_429_still_failing_after_retries_is_a_network_error(clock: FakeClock) -> None:
    responses.get(URL, status=429, body="")
    with pytest.raises(NetworkError, match="Crossref is limiting requests"):
        make_client(clock, max_retries=1).get("crossref", URL)
    assert len(responses.calls) == 2


@responses.activate
def test_connection_error_retried_then_network_error(clock: FakeClock) -> None:
    responses.get(URL, body=requests.exceptions.ConnectionError(
        "HTTPConnectionPool(host='eutils.test', port=80): Max retries exceeded "
        "([Errno 111] Connection refused)"))
    with pytest.raises(NetworkError) as info:
        make_client(clock, max_retries=2).get("ncbi", URL)
    assert str(info.value) == "cannot reach PubMed: connection refused"
    assert len(responses.calls) == 3
    assert len(clock.sleeps) == 2 and clock.sleeps[1] > clock.sleeps[0]


@responses.activate
def test_timeout_is_a_network_error_naming_the_limit(clock: FakeClock) -> None:
    responses.get(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(NetworkError, match="cannot reach Europe PMC: no answer within 30 s"):
        make_client(clock, max_retries=1, read_timeout=30.0).get("europepmc", URL)
    assert len(responses.calls) == 2


@responses.activate
def test_timeout_then_success(clock: FakeClock) -> None:
    responses.get(URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    responses.get(URL, body="ok")
    assert make_client(clock).get("ncbi", URL).text == "ok"


@responses.activate
def test_certificate_failure_is_not_retried(clock: FakeClock) -> None:
    responses.get(URL, body=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(NetworkError, match="certificate"):
        make_client(clock).get("crossref", URL)
    assert len(responses.calls) == 1


@responses.activate
def test_other_4xx_is_a_service_error_without_retry(clock: FakeClock) -> None:
    responses.get(URL, status=400, json={"error": "Invalid query syntax"})
    with pytest.raises(ServiceError, match=r"PubMed refused the request \(HTTP 400: .*Invalid"):
        make_client(clock).get("ncbi", URL)
    assert len(responses.calls) == 1


@responses.activate
def test_a_refused_api_key_says_what_to_do_about_it(clock: FakeClock) -> None:
    """NCBI refuses every request made with a mistyped or revoked key (HTTP 400, "API key
    invalid"): the message names the key and the way to mend or clear it, never the key."""
    responses.get(URL, status=400, json={"error": "API key invalid", "api-key": SECRET,
                                         "type": "invalid", "status": "unknown"})
    with pytest.raises(ServiceError) as info:
        make_client(clock, ncbi_api_key=SECRET).get("ncbi", URL, params={"api_key": SECRET})
    said = str(info.value)
    assert said.startswith("PubMed refused the NCBI API key in your settings (HTTP 400: ")
    assert said.endswith("copy it again from your NCBI account's API Key Management, or "
                         'clear it to work without one (Preferences, or: spinelib settings '
                         'ncbi_api_key "")')
    assert SECRET not in said and len(responses.calls) == 1
    # Another service's refusal mentioning a key is that service's own.
    responses.get(URL + "cr", status=400, json={"message": "bad api key"})
    with pytest.raises(ServiceError, match=r"^Crossref refused the request \(HTTP 400"):
        make_client(clock).get("crossref", URL + "cr")


@responses.activate
def test_html_refusal_is_summarised_not_dumped(clock: FakeClock) -> None:
    responses.get(URL, status=403, body="<html><body>" + "x" * 5000 + "</body></html>",
                  content_type="text/html")
    with pytest.raises(ServiceError) as info:
        make_client(clock).get("crossref", URL)
    assert "<html" not in str(info.value)
    assert len(str(info.value)) < 120


# -- rate limits ------------------------------------------------------------------------------

@responses.activate
def test_ncbi_is_spaced_three_per_second_without_key(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    client = make_client(clock)
    for _ in range(4):
        client.get("ncbi", URL)
    assert clock.sleeps == pytest.approx([1 / 3] * 3)


@responses.activate
def test_ncbi_allows_ten_per_second_with_key(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    client = make_client(clock, ncbi_api_key=SECRET)
    for _ in range(3):
        client.get("ncbi", URL)
    assert clock.sleeps == pytest.approx([0.1, 0.1])


@responses.activate
def test_services_have_separate_limits(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    client = make_client(clock)
    client.get("ncbi", URL)
    client.get("crossref", URL)
    client.get("europepmc", URL)
    assert clock.sleeps == []


@responses.activate
def test_no_wait_when_time_has_passed(clock: FakeClock) -> None:
    responses.get(URL, body="ok")
    client = make_client(clock)
    client.get("ncbi", URL)
    clock.now += 5
    client.get("ncbi", URL)
    assert clock.sleeps == []


@responses.activate
def test_rate_adapts_to_announced_limit(clock: FakeClock) -> None:
    # Headers as Crossref sent them in 2026 (fixtures/crossref/..._404.yaml), with limit 2.
    responses.get(URL, body="ok", headers={"x-rate-limit-limit": "2",
                                          "x-rate-limit-interval": "1s"})
    client = make_client(clock)
    assert client.interval("crossref") == pytest.approx(0.1)  # polite pool: 10/s published
    client.get("crossref", URL)
    assert client.interval("crossref") == pytest.approx(0.5)
    client.get("crossref", URL)
    assert clock.sleeps == pytest.approx([0.5])


def test_parse_interval_units() -> None:
    assert parse_interval("1s") == 1.0
    assert parse_interval("500ms") == 0.5
    assert parse_interval("2m") == 120.0
    assert parse_interval("soon") is None


# -- secrets ----------------------------------------------------------------------------------

@responses.activate
def test_api_key_never_in_messages_tracebacks_or_logs(
        clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    leaky = f"Max retries exceeded with url: /efetch.fcgi?id=1&api_key={SECRET} (refused)"
    responses.get(URL, body=requests.exceptions.ConnectionError(leaky))
    client = make_client(clock, ncbi_api_key=SECRET, max_retries=1)
    with pytest.raises(NetworkError) as info:
        client.get("ncbi", URL, params={"id": "1", "api_key": SECRET})
    shown = "".join(traceback.format_exception(info.value))
    assert SECRET not in shown
    assert SECRET not in caplog.text


@responses.activate
def test_api_key_not_echoed_from_refusal_body(clock: FakeClock,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # NCBI answers a bad key with a JSON body that repeats it.
    responses.get(URL, status=400, json={"error": "API key invalid", "api-key": SECRET})
    responses.get(URL + "2", status=500, body="err")
    client = make_client(clock, ncbi_api_key=SECRET, max_retries=0)
    with pytest.raises(ServiceError) as info:
        client.get("ncbi", URL, params={"api_key": SECRET})
    assert SECRET not in str(info.value)
    assert "API key invalid" in str(info.value)
    with pytest.raises(NetworkError) as info2:
        client.get("ncbi", URL + "2", params={"api_key": SECRET})
    assert SECRET not in str(info2.value)
    assert SECRET not in caplog.text


def test_redact_masks_plain_and_encoded_keys(clock: FakeClock) -> None:
    client = make_client(clock, ncbi_api_key="a/b+c")
    assert client.redact("x?api_key=a%2Fb%2Bc&y=1") == "x?api_key=***&y=1"
    assert client.redact("key a/b+c here") == "key *** here"
    assert "other" not in make_client(clock).redact("u?api_key=other")


# -- offline: no retries when the host cannot be reached from here at all ----------------------

@responses.activate
@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectionError(socket.gaierror(-3, "Temporary failure in name "
                                                            "resolution")),
    requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='eutils.ncbi.nlm.nih.gov', port=443): Max retries exceeded "
        "(Caused by NameResolutionError(\"Failed to resolve 'eutils.ncbi.nlm.nih.gov' "
        "([Errno -3] Temporary failure in name resolution)\"))"),
    requests.exceptions.ConnectionError(OSError(errno.ENETUNREACH, "Network is unreachable")),
])
def test_dns_failure_or_no_route_is_offline_at_the_first_try(
        clock: FakeClock, failure: Exception) -> None:
    responses.get(URL, body=failure)
    with pytest.raises(Offline, match="cannot reach PubMed"):
        make_client(clock, max_retries=4).get("ncbi", URL)
    assert len(responses.calls) == 1 and clock.sleeps == []


@responses.activate
def test_server_errors_are_still_retried_after_the_offline_change(clock: FakeClock) -> None:
    responses.get(URL, status=503)
    responses.get(URL, status=502)
    responses.get(URL, body="ok")
    assert make_client(clock, max_retries=4).get("ncbi", URL).text == "ok"
    assert len(responses.calls) == 3 and len(clock.sleeps) == 2
