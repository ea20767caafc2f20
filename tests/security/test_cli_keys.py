"""``nba-mcp keys create|list|revoke|rotate``, with and without ``--json``."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from nba_mcp.security.keys import authenticate
from tests.cli.invoke import Cli, env_for, plain


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_create_prints_the_key_once_and_it_authenticates(cli: Cli, engine: Engine) -> None:
    result = cli.invoke("keys", "create", "--name", "analyst", "--scopes", "read,sql",
                        "--expires-days", "30", "--json", env=env_for(url(engine)))  # fmt: skip

    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert (made["name"], made["scopes"], made["status"]) == ("analyst", ["read", "sql"], "active")
    assert made["expires_at"] is not None
    assert authenticate(engine, key=made["key"]).name == "analyst"


def test_create_for_people_warns_that_the_key_is_shown_once(cli: Cli, engine: Engine) -> None:
    result = cli.invoke("keys", "create", "--name", "app", env=env_for(url(engine)))

    assert result.exit_code == 0, result.output
    key = next(line for line in result.stdout.splitlines() if line.startswith("nbamcp_"))
    assert authenticate(engine, key=key).scopes == ("read",)
    assert "Store this key now: it is not shown again." in result.output


def test_list_shows_keys_without_secrets_or_hashes(cli: Cli, engine: Engine) -> None:
    env = env_for(url(engine))
    created = cli.main("keys", "create", "--name", "app", "--scopes", "admin", "--json", env=env)
    key = created.json()["key"]

    listed = cli.main("keys", "list", "--json", env=env)
    table = cli.main("keys", "list", env=env)

    assert listed.exit_code == 0
    (entry,) = listed.json()
    assert set(entry) == {"name", "key_id", "scopes", "status", "created_at", "last_used_at",
                          "expires_at", "revoked_at", "grace_until"}  # fmt: skip
    assert key not in listed.stdout and key not in table.stdout
    assert key.removeprefix(f"nbamcp_{entry['key_id']}_") not in listed.stdout + table.stdout
    assert "app" in plain(table.stdout) and entry["key_id"] in plain(table.stdout)


def test_revoke_then_the_key_no_longer_lists_as_active(cli: Cli, engine: Engine) -> None:
    env = env_for(url(engine))
    cli.main("keys", "create", "--name", "app", "--json", env=env)

    revoked = cli.main("keys", "revoke", "app", "--json", env=env)
    again = cli.main("keys", "revoke", "app", env=env)

    assert revoked.exit_code == 0
    assert [k["status"] for k in revoked.json()] == ["revoked"]
    assert (again.exit_code, again.error) == (1, "error: The key 'app' is already revoked.")


def test_rotate_prints_a_new_key_and_keeps_the_old_for_the_grace(cli: Cli, engine: Engine) -> None:
    env = env_for(url(engine))
    old = cli.main("keys", "create", "--name", "app", "--json", env=env).json()

    rotated = cli.main("keys", "rotate", "app", "--grace-minutes", "5", "--json", env=env)

    assert rotated.exit_code == 0, rotated.stderr
    new = rotated.json()
    assert new["key"] != old["key"] and new["name"] == "app"
    assert authenticate(engine, key=old["key"]).name == "app"
    assert authenticate(engine, key=new["key"]).name == "app"
    statuses = {
        k["key_id"]: k["status"] for k in cli.main("keys", "list", "--json", env=env).json()
    }
    assert statuses == {old["key_id"]: "rotated", new["key_id"]: "active"}


def test_bad_input_exits_1_with_a_message(cli: Cli, engine: Engine) -> None:
    env = env_for(url(engine))
    cli.main("keys", "create", "--name", "app", env=env)

    duplicate = cli.main("keys", "create", "--name", "app", env=env)
    scope = cli.main("keys", "create", "--name", "x", "--scopes", "root", env=env)
    unknown = cli.main("keys", "rotate", "nobody", env=env)

    assert duplicate.exit_code == scope.exit_code == unknown.exit_code == 1
    assert duplicate.error == "error: A key named 'app' exists: revoke or rotate it instead."
    assert "Unknown scope(s) root" in scope.error
    assert unknown.error == "error: No API key has the name or id 'nobody'."
