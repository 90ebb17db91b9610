# METADATA
# title: Instants and durations
# description: >-
#   RFC 3339 instants and Go-style durations, checked against a pattern before they are parsed so
#   that a malformed value makes a rule undefined instead of raising a builtin error.
package gatehouse.lib.clock

rfc3339_pattern := `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`

# Only positive durations: a leading sign is rejected on purpose.
duration_pattern := `^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$`

# ns(t) is the instant t in nanoseconds since the epoch, undefined unless t is an RFC 3339 string.
ns(t) := time.parse_rfc3339_ns(t) if {
	is_string(t)
	regex.match(rfc3339_pattern, t)
}

# duration_ns(d) is the duration d ("90m", "1h30m") in nanoseconds, undefined unless d is valid.
duration_ns(d) := time.parse_duration_ns(d) if {
	is_string(d)
	regex.match(duration_pattern, d)
}

# within(not_before, expires_at, now) holds when not_before <= now < expires_at (all RFC 3339).
within(not_before, expires_at, now) if {
	ns(not_before) <= ns(now)
	ns(now) < ns(expires_at)
}
