"""The circle service: a JupyterHub-managed service keeping a circle's shared answers.

Modules, one job each: `database` (storage through SQLAlchemy), `auth` (who is calling, from
their hub token), `validate` (what a posted answer must look like), `api` (the REST handlers
and who may do what), `app` (configuration from the environment, and serving).
"""
