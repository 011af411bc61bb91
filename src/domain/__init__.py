"""The pure core of the Workday Learning connector: values, rules and the ports they need."""
