"""Rendering: console tables, Markdown/HTML, JUnit."""
