"""The channels alerts are sent on: a JSON webhook (with a Slack-compatible ``text``) and email over SMTP."""
