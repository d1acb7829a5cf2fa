"""Exposure settings: Rasa's API only with authentication, CORS only for named pages, message limits,
channels only from the environment."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from components.rate_limit import MemoryCounter, RateLimiter, RedisCounter

ROOT = Path(__file__).resolve().parent.parent


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rasa_args = load_script("rasa_args")
credentials = load_script("credentials")


def test_api_is_off_by_default_and_cors_names_the_demo_page() -> None:
    args = rasa_args.rasa_args({})
    assert "--enable-api" not in args
    assert args == ["--cors", "http://localhost:8080", "http://127.0.0.1:8080"]


def test_api_never_opens_without_a_token_or_jwt() -> None:
    with pytest.raises(rasa_args.ExposureError, match="RASA_AUTH_TOKEN"):
        rasa_args.rasa_args({"RASA_ENABLE_API": "1"})
    with pytest.raises(rasa_args.ExposureError, match="trop court"):
        rasa_args.rasa_args({"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": "secret"})
    with_token = rasa_args.rasa_args({"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": "t" * 32})
    assert with_token[:3] == ["--enable-api", "--auth-token", "t" * 32]
    with_jwt = rasa_args.rasa_args({"RASA_ENABLE_API": "1", "RASA_JWT_SECRET": "s" * 32})
    assert with_jwt[:5] == ["--enable-api", "--jwt-secret", "s" * 32, "--jwt-method", "HS256"]


def test_cors_is_limited_to_the_configured_pages() -> None:
    args = rasa_args.rasa_args({"WIDGET_ORIGINS": "https://aides.example.org https://www.example.org"})
    assert args == ["--cors", "https://aides.example.org", "https://www.example.org"]
    with pytest.raises(rasa_args.ExposureError, match="\\*"):
        rasa_args.rasa_args({"WIDGET_ORIGINS": "*"})


def test_channels_come_only_from_the_environment() -> None:
    default = credentials.credentials({})
    assert list(default) == ["components.rest_channel.GuardedRestInput"]  # no socket.io, no messaging
    assert default["components.rest_channel.GuardedRestInput"] == {"per_sender": 30, "per_address": 300}
    assert "socketio" in credentials.credentials({"SOCKETIO": "1"})
    half = credentials.credentials({"SLACK_TOKEN": "xoxb-1"})  # the signing secret is missing
    assert "components.slack_channel.SlackChannel" not in half


def test_rate_limit_per_sender_and_per_address_in_one_minute_windows() -> None:
    now = [1_000_020.0]
    limiter = RateLimiter(per_sender=3, per_address=5, counter=MemoryCounter(), clock=lambda: now[0])
    assert [limiter.allow("alice", "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("bob", "10.0.0.1") and limiter.allow("carol", "10.0.0.1")
    assert not limiter.allow("dave", "10.0.0.1")  # the address has sent 5 already (4 + bob), 6th refused
    assert limiter.allow("erin", "10.0.0.2")
    now[0] += 60
    assert limiter.allow("alice", "10.0.0.1")  # a new minute


@pytest.mark.services
def test_rate_limit_is_shared_by_replicas_through_redis() -> None:
    from tests.local_services import redis_server

    with redis_server() as url:
        replica_a = RateLimiter(2, 100, RedisCounter(url), clock=lambda: 120.0)
        replica_b = RateLimiter(2, 100, RedisCounter(url), clock=lambda: 120.0)
        assert replica_a.allow("alice", "10.0.0.1") and replica_b.allow("alice", "10.0.0.1")
        assert not replica_a.allow("alice", "10.0.0.1")
        assert not any(b"alice" in key for key in replica_a.counter.client.keys("*"))
