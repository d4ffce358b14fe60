"""Catalogue of training programmes: rules engine, catalogue loader and site generator.

Keep this module free of imports: the browser imports ``generator.rules`` through it,
and only the standard library is available there.
"""
