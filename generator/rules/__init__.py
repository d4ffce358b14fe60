"""The rules engine: pure Python, standard library only (it also runs in Pyodide).

Nothing in this package may import from outside the standard library or read the clock.
"""
