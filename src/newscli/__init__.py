"""newscli: turn raw plain-text news dumps into a searchable local archive."""

__version__ = "0.1.0"
