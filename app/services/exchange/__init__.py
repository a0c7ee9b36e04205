"""Data in and out: reading files, importing articles and claims, exports, backups, seeds."""
