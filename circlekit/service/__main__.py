"""`python -m circlekit.service`: run the circle service (JupyterHub starts it this way)."""

from circlekit.service.app import main

if __name__ == "__main__":
    raise SystemExit(main())
