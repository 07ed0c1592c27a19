"""Exports of data for people: spreadsheets (XLSX, CSV), their provenance, and the audit trail.

Streamlit-free and figure-free; the rendering of charts, maps and briefings lives in
``dashboard/exports``.
"""
