package x

f(a, b) := [a, b]

# opa 1.22.2 moves a comment between a multi-line call and its with modifier onto its own line
# and prints `with` at the start of the next one (the meaning is kept); gatehouse fmt prints the
# same bytes
t := y if {
	y := f(
		1,
		2,
	) # c
		with input as {}
}
