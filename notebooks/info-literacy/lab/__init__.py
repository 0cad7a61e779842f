"""Helpers for the Information literacy in the age of AI activities, one module a week.

Learners never read these files: a notebook cell calls one helper, such as
`lab.feed.feed_simulator()`. The logic sits in small plain functions that tests check without a
screen; `lab.show` holds what every week uses to draw (escaped HTML, live areas, controls that
describe themselves in the printed book).

All data comes from `data/`, made by `data/make_data.py`. Every person, company, brand and
website in it is invented.
"""
