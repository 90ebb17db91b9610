# A policy in the style of OPA-Envoy's tutorials, written for Gatehouse's tests: it reads only
# what OPA-Envoy puts in input (attributes.request.http, parsed_path, parsed_query, parsed_body)
# and must run unchanged when Gatehouse serves Envoy's ext_authz API.
package envoy.authz

import input.attributes.request.http

default allow := false

# Anyone may read the public catalogue.
allow if {
	http.method == "GET"
	input.parsed_path[0] == "catalogue"
}

# Guests and admins may look people up; only admins may add someone, and not themselves.
allow if {
	claims.role in {"guest", "admin"}
	http.method == "GET"
	glob.match("/people/*", ["/"], http.path)
}

allow if {
	claims.role == "admin"
	http.method == "POST"
	http.path == "/people"
	lower(input.parsed_body.firstname) != lower(claims.sub)
}

# Searches are limited to one name per call.
allow if {
	claims.role == "admin"
	http.method == "GET"
	input.parsed_path == ["search"]
	count(input.parsed_query.name) == 1
}

claims := payload if {
	[_, encoded] := split(http.headers.authorization, " ")
	[valid, _, payload] := io.jwt.decode_verify(encoded, {"secret": "people-tutorial-shared-secret-32b", "alg": "HS256"})
	valid
}
