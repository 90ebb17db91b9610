# An OPA-Envoy policy answering with an object: headers for the upstream, a custom denial.
package envoy.rich

import input.attributes.request.http

default decision := {
	"allowed": false,
	"http_status": 401,
	"headers": {"www-authenticate": "Bearer realm=\"people\""},
	"body": "{\"error\":\"sign in first\"}",
}

decision := {
	"allowed": true,
	"headers": {"x-caller": input.attributes.source.principal, "x-ext-service": input.attributes.contextExtensions.service},
	"response_headers_to_add": [{"x-served-by": "gatehouse"}],
	"request_headers_to_remove": ["x-debug"],
	"query_parameters_to_set": {"tenant": "acme"},
	"dynamic_metadata": {"caller": input.attributes.source.principal},
} if {
	startswith(input.attributes.source.principal, "spiffe://cluster.local/")
	http.headers["x-api-key"] == "k-123"
}

bad := {"allowed": "yes"}
