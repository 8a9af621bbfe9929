package store

// SetSearchCap lowers where Search stops counting and ranking, so that a
// test can cross it with a few items; the returned func restores it.
func SetSearchCap(n int) func() {
	old := searchCap
	searchCap = n
	return func() { searchCap = old }
}
