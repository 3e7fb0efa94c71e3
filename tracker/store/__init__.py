"""The SQLite store: open/migrate (db), write documents and tags (write), read (query)."""
