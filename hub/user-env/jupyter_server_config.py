# A learner's Jupyter server on the circle's hub (see README.md in this folder).
# `c` and `__file__` are given by traitlets when it loads this file.
from pathlib import Path

HERE = Path(__file__).resolve().parent  # noqa: F821

# Named here, each extension is on or off whatever the environment's own config says. nbgrader's
# are authoring tools: without them learners see no teacher menu and the log has no
# "course directory" error or "No nbgrader_config.py" warning.
c.ServerApp.jpserver_extensions = {  # noqa: F821
    "nbgitpuller": True,  # the book's launch links (/git-pull)
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}
# JupyterLab reads setting overrides (overrides.json) from its app settings folder only.
c.LabApp.app_settings_dir = str(HERE / "lab-settings")  # noqa: F821
# Kernels talk to the server over loopback TCP; with CurveZMQ keys that traffic is encrypted,
# so another process on the machine cannot read a learner's code and outputs (and the kernel
# no longer warns "running over TCP without encryption" at every start).
c.KernelManager.transport_encryption = "auto"  # noqa: F821
