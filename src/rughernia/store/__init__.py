"""REMEMBER: tables, query functions and migrations.

Query functions take a ``Session`` and never commit: the caller owns the
transaction, so a diary write and its re-assessment land together or not at all.
"""
