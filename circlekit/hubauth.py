"""Each person signs in to `circlekit hub` with their own password.

`circlekit hub` keeps the passwords it made in `logins.json` in the hub's state folder
(`circlekit.hub.write_logins`); this authenticator reads that file at each sign-in, so the
passwords never pass through the hub's environment or its log.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from jupyterhub.auth import Authenticator
from traitlets import Unicode

from circlekit.errors import HubError
from circlekit.hub import read_logins


class PersonalPasswordAuthenticator(Authenticator):
    """A user name and that person's own password, as `circlekit hub` printed them."""

    state_dir = Unicode(config=True, help="the hub's state folder, which holds logins.json")

    async def authenticate(self, handler: Any, data: dict[str, str]) -> str | None:
        name = self.normalize_username(data.get("username", ""))
        given = data.get("password", "")
        try:
            logins = read_logins(Path(self.state_dir))
        except HubError as error:
            self.log.error("%s", error)
            return None
        expected = logins.get(name)
        # compare_digest: the time taken says nothing about how much of a password was right.
        if expected and given and hmac.compare_digest(expected.encode(), given.encode()):
            return name
        self.log.warning("failed sign-in for %r", name)
        return None
