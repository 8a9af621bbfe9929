package errs

import "fmt"

// Op names the operation an error came from, for the log: deferred at the
// top of a function with a named error result,
//
//	func (db *DB) ActOnEnquiry(…) (err error) {
//		defer errs.Op(&err, "store.ActOnEnquiry(%d)", id)
//
// it wraps a returned error as "store.ActOnEnquiry(7): …". The code and the
// user's message are unchanged (CodeOf, MessageOf and errors.As see through
// the wrap); a caller comparing with == must use errors.Is instead.
func Op(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
