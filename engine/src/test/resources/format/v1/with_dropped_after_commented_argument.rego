package x

f(a, b) := [a, b]

# opa 1.22.2 drops the with modifiers of an expression whose last call argument spans lines and
# holds a comment (it changes the program's meaning); gatehouse fmt prints the same bytes
r if {
	y := f(1, [
		2, # c
	]) with input as {}
	y == [1, [2]]
}

s if {
	not f(1, [
		2, # c
	])
		with input as {}
}
