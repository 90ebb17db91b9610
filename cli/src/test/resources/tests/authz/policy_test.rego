package authz_test

import data.authz

test_admin_allowed if authz.allow with input as {"user": "alice", "method": "POST"}

test_reader_may_get if authz.allow with input as {"user": "bob", "method": "GET"}

test_reader_may_not_post if not authz.allow with input as {"user": "bob", "method": "POST"}

test_mock_data if authz.allow with input as {"user": "dave", "method": "POST"} with data.roles as {"dave": ["admin"]}

test_wrong_expectation if {
	print("user is", "bob")
	authz.allow with input as {"user": "bob", "method": "DELETE"}
}

todo_test_audit_log if false

test_double[name] if {
	some name, c in {"one": [1, 2], "two": [2, 4], "wrong": [3, 5]}
	authz.double(c[0]) == c[1]
}
