"""circlekit: the machinery behind the curriculum kit (course model, checks, build, answers)."""

__version__ = "0.1.0"
