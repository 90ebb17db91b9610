package authz

import rego.v1

default allow := false

allow if "admin" in data.roles[input.user]

allow if {
	input.method == "GET"
	input.user in data.readers
}

double(x) := x * 2
