"""``UKUR_QUEUE_URL``: declared with the other settings, checked the same way wherever it is read."""

from __future__ import annotations

import pytest

from ukur.config import SETTINGS, load_settings
from ukur.errors import UkurError
from ukur.jobs.backends import make_queue, queue_url
from ukur.jobs.base import JobRegistry
from ukur.jobs.local import ThreadJobQueue
from ukur.store import make_engine, make_session_factory


def test_the_queue_url_is_a_declared_setting_empty_by_default():
    [setting] = [s for s in SETTINGS if s.name == "queue_url"]
    assert (setting.env, setting.default) == ("UKUR_QUEUE_URL", "")
    assert load_settings({}).queue_url == ""
    assert queue_url({}) == ""


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/1", "unix:///tmp/r.sock"]
)
def test_redis_urls_are_accepted_without_surrounding_spaces(url):
    assert load_settings({"UKUR_QUEUE_URL": f" {url}\n"}).queue_url == url
    assert load_settings({}, queue_url=url).queue_url == url
    assert queue_url({"UKUR_QUEUE_URL": f" {url} "}) == url


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "amqp://broker"])
def test_other_urls_are_refused_naming_the_setting(url):
    for read in (lambda: load_settings({"UKUR_QUEUE_URL": url}), lambda: queue_url({"UKUR_QUEUE_URL": url})):
        with pytest.raises(UkurError, match="UKUR_QUEUE_URL must be a redis:// URL") as caught:
            read()
        assert caught.value.field == "queue_url"


def test_an_empty_url_makes_the_embedded_queue_and_a_wrong_one_is_refused(tmp_path):
    sessions = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'q.db'}"))
    queue = make_queue(sessions, JobRegistry(), workers=1, lease_seconds=5, url="")
    assert type(queue) is ThreadJobQueue
    queue.shutdown()
    with pytest.raises(UkurError, match="redis://"):
        make_queue(sessions, JobRegistry(), workers=1, lease_seconds=5, url="http://x")
