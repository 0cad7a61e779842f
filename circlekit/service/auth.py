"""Who is calling the circle service, and which circles they belong to or facilitate.

The caller's hub token is the only credential: JupyterHub's `HubAuth` turns it into a user
model (name, scopes); who holds it is kept here at most `token_max_age` seconds (this is the
one cache of it: HubAuth's own is bypassed, so the two never add up), so a stopped server's
token stops working soon after. The circles and their facilitators follow the rules in
`circlekit.circles`.

Group members and properties are read with the service's own token (it holds
`read:groups`/`list:groups`) and kept at most `groups_max_age` seconds. Membership comes from
that list alone (never from the token's cached model), so a learner removed from a circle
loses it within that time. A refusal is never made on a stale list: before answering "not in
this circle" the service reads the groups again, so a learner added a moment ago is let in.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jupyterhub.services.auth import HubAuth
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from circlekit import settings
from circlekit.circles import DEFAULT_PREFIX, circle_name, facilitators_of, is_facilitator
from circlekit.errors import NotAllowed, NotAuthenticated

__all__ = ["DEFAULT_PREFIX", "Caller", "Circle", "CircleAuth", "facilitators_of"]
log = logging.getLogger("circlekit.service")
# Seconds before a kept token expires at which a request using it has it asked about again.
ASK_AHEAD = 1.5


@dataclass(frozen=True)
class Caller:
    """A person using the service, as the hub describes them."""

    name: str
    admin: bool = False
    circles: frozenset[str] = field(default_factory=frozenset)
    facilitates: frozenset[str] = field(default_factory=frozenset)

    def may_use(self, circle: str) -> bool:
        """Read, write and delete one's own answers in `circle`."""
        return self.admin or circle in self.circles or circle in self.facilitates

    def facilitator_of(self, circle: str) -> bool:
        """See every shared answer of `circle` and export them."""
        return self.admin or circle in self.facilitates

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "admin": self.admin, "circles": sorted(self.circles),
            "facilitates": sorted(self.facilitates),
        }


@dataclass(frozen=True)
class Circle:
    name: str
    group: str
    members: tuple[str, ...]
    facilitators: tuple[str, ...]


class CircleAuth:
    """Turns a token into a `Caller`, with the hub's groups read and cached."""

    def __init__(self, hub_auth: HubAuth | None = None, *, prefix: str = DEFAULT_PREFIX,
                 groups_max_age: float | None = None, token_max_age: float | None = None):
        if token_max_age is None:
            token_max_age = settings.get_float("CIRCLEKIT_TOKEN_MAX_AGE")
        if groups_max_age is None:
            groups_max_age = settings.get_float("CIRCLEKIT_MEMBERSHIP_MAX_AGE")
        self.hub_auth = hub_auth or HubAuth(cache_max_age=int(max(1, token_max_age)))
        self.prefix = prefix
        self.groups_max_age = groups_max_age
        self.token_max_age = token_max_age
        # token -> (valid until, name, admin); asked of the hub once per token at a time.
        self._tokens: dict[str, tuple[float, str, bool]] = {}
        self._asking: dict[str, asyncio.Future[tuple[str, bool]]] = {}
        self._circles: dict[str, Circle] = {}
        # name -> (circles, facilitated circles), made once per read of the groups: a request
        # looks its caller up instead of going through every circle.
        self._membership: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._circles_at = 0.0
        self._admins: dict[str, tuple[float, bool]] = {}
        self._refresh: asyncio.Future[None] | None = None
        self._forced: tuple[float, asyncio.Future[None]] | None = None
        self._lock = asyncio.Lock()

    # -- circles ---------------------------------------------------------------------------

    async def circles(self) -> dict[str, Circle]:
        """Every circle on the hub by name, at most `groups_max_age` seconds old.

        Once known, a stale list is answered at once while a fresh one is fetched in the
        background: callers never queue behind the hub's reply.
        """
        known = self._circles_now()
        if known is not None:
            return known
        async with self._lock:
            if not self._circles_at:
                await self._refresh_circles()
        return self._circles

    def _circles_now(self) -> dict[str, Circle] | None:
        """The circles as last read (a fresh read started when they are old); None before
        the first read."""
        age = time.monotonic() - self._circles_at
        if age < self.groups_max_age:
            return self._circles
        if not self._circles_at:
            return None
        if self._refresh is None:
            self._refresh = asyncio.ensure_future(self._refresh_quietly())
        return self._circles

    async def _refresh_quietly(self) -> None:
        try:
            await self._refresh_circles()
        except Exception:  # noqa: BLE001 - keep the last list; the next request tries again
            log.exception("could not refresh the hub's groups; using the last list")

    async def _refresh_circles(self) -> None:
        # The list's age counts from when it was asked for: a change made while the hub was
        # answering may be missing from it.
        started = time.monotonic()
        try:
            circles = await self._fetch_circles()
            self._circles, self._membership = circles, _membership(circles)
            self._circles_at = started
        finally:
            self._refresh = None

    async def _fetch_circles(self) -> dict[str, Circle]:
        client = AsyncHTTPClient()
        found: dict[str, Circle] = {}
        offset, limit = 0, 200
        while True:
            url = f"{self.hub_auth.api_url.rstrip('/')}/groups?offset={offset}&limit={limit}"
            request = HTTPRequest(url, headers={
                "Authorization": f"token {self.hub_auth.api_token}",
                # Ask for the paginated form so a hub with many groups is read completely.
                "Accept": "application/jupyterhub-pagination+json",
            }, request_timeout=10)
            try:
                response = await client.fetch(request)
            except HTTPClientError as error:
                raise RuntimeError(
                    f"the circle service could not read the hub's groups ({error}); give the "
                    "service the read:groups and list:groups scopes in jupyterhub_config.py"
                ) from error
            data = json.loads(response.body)
            items = data["items"] if isinstance(data, dict) else data
            for group in items:
                name = group.get("name", "")
                circle = circle_name(name, self.prefix)
                if circle is None:
                    continue
                members = tuple(group.get("users") or ())
                properties = group.get("properties") or {}
                found[circle] = Circle(
                    name=circle, group=name, members=members,
                    facilitators=tuple(f for f in facilitators_of(properties)
                                       if is_facilitator(f, members, properties)),
                )
            page = data.get("_pagination", {}) if isinstance(data, dict) else {}
            if not page.get("next"):
                return found
            offset = page["next"]["offset"]

    async def _hub_get(self, path: str) -> Any:
        request = HTTPRequest(f"{self.hub_auth.api_url.rstrip('/')}/{path}", headers={
            "Authorization": f"token {self.hub_auth.api_token}"}, request_timeout=10)
        response = await AsyncHTTPClient().fetch(request)
        return json.loads(response.body)

    async def is_admin(self, name: str, model: Mapping[str, Any]) -> bool:
        """Whether `name` is a hub admin. A kernel's token is too narrow to show it, so ask
        the hub with the service's own token when the model leaves it out."""
        if "admin" in model:
            return bool(model["admin"])
        seen = self._admins.get(name)
        if seen is not None and time.monotonic() - seen[0] < self.groups_max_age:
            return seen[1]
        try:
            admin = bool((await self._hub_get(f"users/{name}")).get("admin"))
        except HTTPClientError:
            admin = False  # unknown to the service's token: not an admin
        self._admins[name] = (time.monotonic(), admin)
        return admin

    # -- callers ---------------------------------------------------------------------------

    def known(self, token: str | None) -> Caller | None:
        """The person holding `token` when the hub need not be asked (their token asked about
        lately, the circles read): None when it must (`caller` asks)."""
        found = self._tokens.get(token) if token else None
        if found is None:
            return None
        left = found[0] - time.monotonic()
        if left <= 0:
            return None
        if left < min(self.token_max_age / 2, ASK_AHEAD) and token not in self._asking:
            # A token in use is asked about again in the background shortly before it
            # expires, so no save waits for the hub; it still expires on time. Asking in
            # the whole second half of its time (every 2.5 s at 5 s) made these questions
            # 4% of the service's CPU per save under load (profiled); 1.5 s ahead asks
            # every 3.5 s and still leaves the hub time to answer.
            assert token is not None
            self._ask(token).add_done_callback(self._forget_if_refused(token))
        if self._circles_now() is None:
            return None
        return self._caller(found[1], found[2], self._membership)

    async def caller(self, token: str | None) -> Caller:
        """The person holding `token`. Raises NotAuthenticated or NotAllowed."""
        found = self.known(token)
        if found is not None:
            return found
        if not token:
            raise NotAuthenticated(
                "no hub token: send 'Authorization: token <your JupyterHub API token>'"
            )
        kept = self._tokens.get(token)
        if kept is not None and kept[0] > time.monotonic():
            name, admin = kept[1], kept[2]
        else:
            # Saves that arrive together with one new token share one question to the hub.
            name, admin = await asyncio.shield(self._asking.get(token) or self._ask(token))
        await self.circles()
        return self._caller(name, admin, self._membership)

    def _ask(self, token: str) -> asyncio.Future[tuple[str, bool]]:
        asking = asyncio.ensure_future(self._identify(token))
        self._asking[token] = asking
        asking.add_done_callback(lambda _: self._asking.pop(token, None))
        return asking

    def _forget_if_refused(self, token: str) -> Callable[[asyncio.Future[Any]], None]:
        def done(asked: asyncio.Future[Any]) -> None:
            error = None if asked.cancelled() else asked.exception()
            if isinstance(error, NotAuthenticated | NotAllowed):
                self._tokens.pop(token, None)  # revoked: refused from the next request on
            elif error is not None:
                log.warning("could not ask the hub about a token again: %s", error)
        return done

    async def _identify(self, token: str) -> tuple[str, bool]:
        """(name, admin) of the person holding `token`, asked of the hub and kept a while."""
        asked = time.monotonic()
        model = await self.hub_auth.user_for_token(token, use_cache=False, sync=False)
        if not model:
            raise NotAuthenticated("the hub does not recognise this token")
        if model.get("kind", "user") != "user":
            raise NotAllowed(f"{model.get('kind')} {model.get('name')!r} is not a person; "
                             "the circle service answers people only")
        name = model["name"]
        required = self.hub_auth.access_scopes
        if required and not self.hub_auth.check_scopes(required, model):
            raise NotAllowed(
                f"{name}'s token may not use the circle service: it needs the scope "
                f"{' or '.join(sorted(required))} (see hub/jupyterhub_config.py)"
            )
        admin = await self.is_admin(name, model)
        if len(self._tokens) > 20_000:  # forget expired tokens now and then
            now = time.monotonic()
            self._tokens = {t: v for t, v in self._tokens.items() if v[0] > now}
        # Counted from the question, not the answer: never kept longer than token_max_age.
        self._tokens[token] = (asked + self.token_max_age, name, admin)
        return name, admin

    @staticmethod
    def _caller(name: str, admin: bool,
                membership: Mapping[str, tuple[frozenset[str], frozenset[str]]]) -> Caller:
        circles, facilitates = membership.get(name, (frozenset(), frozenset()))
        return Caller(name=name, admin=admin, circles=circles, facilitates=facilitates)

    async def recheck(self, caller: Caller, asked_at: float) -> Caller:
        """`caller` again from a list of circles read after `asked_at` (time.monotonic() when
        the request arrived): asked before a refusal, since the kept list may predate the
        change that lets them in. Refusals arriving together share one read of the hub."""
        if self._circles_at < asked_at:
            forced = self._forced
            if forced is None or forced[0] < asked_at:
                started = time.monotonic()
                forced = (started, asyncio.ensure_future(self._refresh_circles()))
                self._forced = forced
            await asyncio.shield(forced[1])
        return self._caller(caller.name, caller.admin, self._membership)


def _membership(circles: Mapping[str, Circle]
                ) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """{name: (circles they are in, circles they facilitate)} for everyone in a circle."""
    member: dict[str, set[str]] = {}
    leads: dict[str, set[str]] = {}
    for circle in circles.values():
        for name in circle.members:
            member.setdefault(name, set()).add(circle.name)
        for name in circle.facilitators:
            leads.setdefault(name, set()).add(circle.name)
    return {name: (frozenset(member.get(name, ())), frozenset(leads.get(name, ())))
            for name in member.keys() | leads.keys()}
