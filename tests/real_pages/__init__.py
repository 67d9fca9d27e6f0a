"""Tests on the real pages of ../shared/pages (skipped when ../shared is absent)."""
