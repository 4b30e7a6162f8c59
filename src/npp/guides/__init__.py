"""Pocket guides for remote areas: one printable PDF per state and stage (issue #5).

:func:`npp.guides.content.guide` builds the guide from the knowledge base (the state's
provision with its text and verification marks, the study's case actions for the stage, the
questions the engine asks when facts are unknown, and the state's identification procedures);
:mod:`npp.guides.render` turns it into HTML and, with WeasyPrint, into an A6 PDF.
"""
