from circlekit.errors import ProblemsFound
from circlekit.problems import Problem


def test_problems_read_as_file_field_message():
    assert str(Problem("a.yml", "weeks[0].minutes", "bad")) == "a.yml: weeks[0].minutes: bad"
    assert str(Problem("a.ipynb", "", "bad")) == "a.ipynb: bad"


def test_problems_found_lists_each_once_in_order():
    exc = ProblemsFound([Problem("b", "", "x"), Problem("a", "", "y"), Problem("b", "", "x")])
    assert [p.path for p in exc.problems] == ["a", "b"]
    assert str(exc).splitlines() == ["2 problem(s) found:", "  a: y", "  b: x"]
