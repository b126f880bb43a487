"""Recurring items: recommendations, findings and priorities said again in later years."""
from search.recur.scoring import *  # noqa: F401,F403
