# Test fixture: a decision that takes far longer than a short evaluation deadline.
package gatehouse.admission

decision := {"allowed": n >= 0, "violations": [], "warnings": []} if {
	n := count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000); i != j])
}
