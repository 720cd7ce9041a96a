"""Realistic synthetic dossiers, and measuring the site over them."""
