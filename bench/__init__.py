"""The load benchmark: corpus seeding, the load driver and its reports."""
