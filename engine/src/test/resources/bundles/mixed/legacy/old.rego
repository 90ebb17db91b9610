package legacy

allow {
	input.x == 1
}
