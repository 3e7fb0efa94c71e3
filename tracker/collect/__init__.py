"""Collection: HTTP (http), feeds (feeds), listing pages (pages), article text (extract)."""
