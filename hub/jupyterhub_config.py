# JupyterHub configuration for one learning circle on one machine (`circlekit hub` uses it).
#
# Run it as `circlekit hub`, which sets the environment below and stops everything it started
# on Ctrl-C; or by hand: `CIRCLEKIT_HUB_PASSWORD=... jupyterhub -f hub/jupyterhub_config.py`.
# Every setting comes from an environment variable, so no secret is ever written in the repo:
#
#   CIRCLEKIT_HUB_STATE        folder for the hub's database, secrets, homes, the service's data
#   CIRCLEKIT_HUB_IP           address to listen on (default 127.0.0.1: this machine only)
#   CIRCLEKIT_HUB_PORT         the hub's address for browsers (default 8000)
#   CIRCLEKIT_HUB_API_PORT     the hub's own API (default 8081), CIRCLEKIT_PROXY_API_PORT (8001),
#   CIRCLEKIT_SERVICE_PORT     the circle service (default 10101): all on 127.0.0.1
#   CIRCLEKIT_HUB_PASSWORD     only for a trial: one password for everyone (at least 8
#                              characters). Without it each person signs in with their own
#                              password, from logins.json in the state folder (`circlekit hub`
#                              writes it and prints the passwords).
#   CIRCLEKIT_HUB_CIRCLE       the circle's name (hub group `circle-<name>`)
#   CIRCLEKIT_HUB_LEARNERS     learners' login names, comma-separated
#   CIRCLEKIT_HUB_FACILITATOR  the facilitator's login name (named in the group's properties)
#   CIRCLEKIT_HUB_ADMINS       hub admins (comma-separated), with CIRCLEKIT_HUB_ADMIN_PASSWORD
#   CIRCLEKIT_HUB_API_TOKEN    optional: a token for the `circlekit-admin` service, which may
#                              manage users, groups, servers and tokens (tests, automation)
#   CIRCLEKIT_KIT_ROOT         the kit whose courses go into each home (default: this repo)
#   CIRCLEKIT_COPY_COURSES     "0" to leave homes empty (e.g. when nbgitpuller links are used)
#   CIRCLEKIT_DATABASE_URL     the circle service's database (default SQLite in the state folder)
#   CIRCLEKIT_CIRCLE_PREFIX    which hub groups are circles (default "circle-")
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Every CIRCLEKIT_* setting is read through circlekit.settings, which holds its default.
from circlekit import settings  # noqa: E402 - the hub's Python has circlekit installed

env = settings.get
BIN = Path(sys.executable).parent


STATE = Path(env("CIRCLEKIT_HUB_STATE") or Path.home() / ".local/share/circlekit/hub").resolve()
STATE.mkdir(parents=True, exist_ok=True)
IP = env("CIRCLEKIT_HUB_IP")
PORT = settings.get_int("CIRCLEKIT_HUB_PORT")
SERVICE_PORT = settings.get_int("CIRCLEKIT_SERVICE_PORT")
KIT = Path(env("CIRCLEKIT_KIT_ROOT") or REPO).resolve()
PREFIX = env("CIRCLEKIT_CIRCLE_PREFIX")
SERVICE = "circle"
# Kernels reach the service through the proxy, the same way a browser would.
LOCAL_IP = "127.0.0.1" if IP in ("", "0.0.0.0", "::") else IP
SERVICE_URL = f"http://{LOCAL_IP}:{PORT}/services/{SERVICE}/"

# -- the hub, its proxy, its files --------------------------------------------------------
c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.get_int("CIRCLEKIT_HUB_API_PORT")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('CIRCLEKIT_PROXY_API_PORT')}"
# Installed from npm into the project (package.json), not globally.
c.ConfigurableHTTPProxy.command = [str(REPO / "node_modules/.bin/configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# -- who may log in -------------------------------------------------------------------------
CIRCLE = env("CIRCLEKIT_HUB_CIRCLE")
LEARNERS = settings.get_names("CIRCLEKIT_HUB_LEARNERS")
FACILITATOR = env("CIRCLEKIT_HUB_FACILITATOR")
ADMINS = settings.get_names("CIRCLEKIT_HUB_ADMINS")

if env("CIRCLEKIT_HUB_PASSWORD"):
    # `circlekit hub --shared-password` (which warns): anyone can sign in as anyone in the circle.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env("CIRCLEKIT_HUB_PASSWORD")
    if ADMINS:
        c.SharedPasswordAuthenticator.admin_password = env("CIRCLEKIT_HUB_ADMIN_PASSWORD") or None
else:
    c.JupyterHub.authenticator_class = "circlekit.hubauth.PersonalPasswordAuthenticator"
    c.PersonalPasswordAuthenticator.state_dir = str(STATE)
if ADMINS:
    c.Authenticator.admin_users = set(ADMINS)
# Only the circle's people may log in; people added later through the hub's admin page too.
c.Authenticator.allowed_users = set(LEARNERS + ([FACILITATOR] if FACILITATOR else []) + ADMINS)
c.Authenticator.allow_existing_users = True

if CIRCLE:
    c.JupyterHub.load_groups = {
        PREFIX + CIRCLE: {
            "users": LEARNERS + ([FACILITATOR] if FACILITATOR else []),
            "properties": {"facilitators": [FACILITATOR] if FACILITATOR else []},
        }
    }

# The sign-in page names the circle and says where a password comes from.
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.template_vars = {"circle_name": CIRCLE}

# -- the circle service and what tokens may do ----------------------------------------------
# Handed on as set (the service reads them, with their defaults, through circlekit.settings).
service_env = {
    name: value for name in (
        "CIRCLEKIT_DATABASE_URL", "CIRCLEKIT_CIRCLE_PREFIX", "CIRCLEKIT_MEMBERSHIP_MAX_AGE",
        "CIRCLEKIT_TOKEN_MAX_AGE", "CIRCLEKIT_SAVES_PER_SECOND", "CIRCLEKIT_SAVES_BURST",
        "CIRCLEKIT_WRITE_QUEUE", "PATH", "PYTHONPATH",
    ) if (value := os.environ.get(name))
}
service_env.update({
    "CIRCLEKIT_SERVICE_DATA": str(STATE / "service"),
    "CIRCLEKIT_KIT_ROOT": str(KIT),
})
c.JupyterHub.services = [
    {
        "name": SERVICE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [sys.executable, "-m", "circlekit.service"],
        "environment": service_env,
        "oauth_no_confirm": True,
        "display": False,
    }
]
c.JupyterHub.load_roles = [
    # The service reads groups (circles, and their facilitators in the properties) and, for
    # a caller whose token does not show it, whether they are an admin. Nothing else.
    {
        "name": "circle-service",
        # read:users only for the `admin` flag a kernel's narrow token leaves out.
        "scopes": ["read:groups", "list:groups", "read:users"],
        "services": [SERVICE],
    },
]
if env("CIRCLEKIT_HUB_API_TOKEN"):
    c.JupyterHub.services.append(
        {"name": "circlekit-admin", "api_token": env("CIRCLEKIT_HUB_API_TOKEN")}
    )
    c.JupyterHub.load_roles.append({
        "name": "circlekit-admin",
        "scopes": [
            "admin:users", "admin:groups", "admin:servers", "tokens", "access:servers",
            "read:users", "list:users", "read:groups", "list:groups", "read:roles",
        ],
        "services": ["circlekit-admin"],
    })
# Every user may call the service; without this the hub refuses them (stack.md §4.3).
c.JupyterHub.extra_user_scopes = {f"access:services!service={SERVICE}"}
# A kernel's own $JUPYTERHUB_API_TOKEN must carry the same scope to save answers.
c.Spawner.server_token_scopes = [
    "users:activity!user", "access:servers!server", f"access:services!service={SERVICE}",
]

# -- learners' servers --------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"  # no system users needed; one machine, one circle
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
# The learners' Jupyter environment (hub/user-env/README.md): no authoring tools, no pop-ups,
# the kernel started without a question. Only learners' servers read it, not authors' Jupyter.
USER_ENV = HERE / "user-env"
c.Spawner.environment = {
    "CIRCLEKIT_SERVICE_URL": SERVICE_URL,
    "JUPYTER_CONFIG_PATH": os.pathsep.join(
        [str(USER_ENV), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]),
    "JUPYTER_PATH": os.pathsep.join(
        [str(USER_ENV / "data"), *filter(None, [os.environ.get("JUPYTER_PATH")])]),
}


async def pre_spawn(spawner):
    import asyncio

    # Who is in which circle and who leads one: the rules in circlekit/circles.py, the same
    # ones the circle service and the Helm chart's configuration follow.
    from circlekit.circles import leads_a_circle, server_circle

    user = spawner.user
    circle = server_circle(user, PREFIX)
    spawner.environment = dict(spawner.environment)
    if circle:
        spawner.environment["CIRCLEKIT_CIRCLE"] = circle
    home = Path(getattr(spawner, "home_dir", "") or os.path.expanduser(f"~{user.name}"))
    spawner.environment["CIRCLEKIT_HOME"] = str(home / ".circlekit")
    if env("CIRCLEKIT_COPY_COURSES") == "0":
        return
    # One copy of the courses in each home, whichever way a learner arrives (front page or a
    # launch link): the rule is circlekit.homes, which Kubernetes servers follow too.
    from circlekit.homes import place_courses

    try:
        placed = await asyncio.to_thread(place_courses, KIT, home,
                                         leads=leads_a_circle(user, PREFIX))
    except Exception as error:  # noqa: BLE001 - a failed copy or pull must not stop the server
        spawner.log.warning("could not put the courses in %s: %s", home, error)
    else:
        spawner.log.info("%s: %s", user.name, placed.describe())


c.Spawner.pre_spawn_hook = pre_spawn
