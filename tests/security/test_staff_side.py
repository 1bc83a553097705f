"""The staff side against the running service: reading identifiable data is audited, a revoked token is
refused at once, and the files the service writes are readable by its own user only."""
from __future__ import annotations

import stat
import uuid

import requests

from .helpers import chat, enrol_gp, referral_turns


def test_listing_referrals_is_audited_per_referral(stack):
    number = enrol_gp(stack)
    conversation_id, replies = chat(stack, referral_turns(number))
    assert "The referral is stored" in replies[-1]
    listed = stack.staff_get("/api/referrals?limit=5")["referrals"]
    mine = [r["id"] for r in listed if r["conversation_id"] == conversation_id]
    assert len(mine) == 1
    assert stack.rows(f"SELECT action FROM audit_log WHERE referral_id = {mine[0]} ORDER BY id")[-1] == (
        "referral.listed",)
    assert stack.rows("SELECT count(*) FROM audit_log WHERE action = 'referrals.listed'")[0][0] >= 1


def test_a_revoked_staff_token_is_refused(stack):
    email = f"lead-{uuid.uuid4().hex[:6]}@cis.example"
    stack.flask("staff", "add", "--email", email, "--password", "a-long-password-1")
    token = stack.flask("staff", "token", "--email", email).strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{stack.api}/api/referrals", headers=headers, timeout=10).status_code == 200
    stack.flask("staff", "token", "revoke", "--email", email)
    assert requests.get(f"{stack.api}/api/referrals", headers=headers, timeout=10).status_code == 401


def test_the_case_store_and_the_outbox_are_private_files(stack):
    for name in ("cis.sqlite3", "outbox.sqlite3"):
        mode = stat.S_IMODE((stack.tmp / name).stat().st_mode)
        assert mode == 0o600, f"{name} is {oct(mode)}"
