# A sidecar-style JIT check: is there an active grant for this subject, service and action?
# Grants are a plain list in data, as sync delivers them; the benchmark puts 10,000 there.
package jit

default allow := false

allow if {
	some grant in data.grants
	grant.subject == input.subject
	grant.service == input.service
	input.action in grant.actions
	now := time.parse_rfc3339_ns(input.now)
	time.parse_rfc3339_ns(grant.not_before) <= now
	now < time.parse_rfc3339_ns(grant.expires_at)
}
