"""Shared UI helpers for the pages: Plotly figure builders and small widgets.

Figure builders are pure functions (arrays in, ``plotly.graph_objects.Figure`` out),
testable without a Streamlit server.
"""
