"""The content provider's image CDN, where a course's ``cover_url`` points."""
