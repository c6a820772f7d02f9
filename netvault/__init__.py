"""netvault: a personal CRM for career networking that lives in plain text."""

__version__ = "0.1.0"
