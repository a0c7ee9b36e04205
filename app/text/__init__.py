"""Pure functions on strings: no Flask, no database."""
