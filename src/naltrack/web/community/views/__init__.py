"""Forum pages: reading and posting (forum), moderation, notifications."""
