package errors_test

p := 1 if true

p := 2 if true

test_conflicting_rule if p == 1

test_passes if true
