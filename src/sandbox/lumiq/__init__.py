"""The content provider, LumiQ: its API under ``/lumiq`` (members, invitations, changes, removals and the
completions feed), the members and completions it holds and its episodes."""
