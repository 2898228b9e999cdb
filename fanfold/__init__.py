"""Fanfold: a self-hosted fan fiction archive."""
