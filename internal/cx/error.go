package cx

import (
	"errors"
	"fmt"
)

// Error codes are stable: they appear in API responses and are documented in docs/api.md.
const (
	EINVALID      = "invalid"      // the request or record is malformed
	ENOTFOUND     = "not_found"    // the referenced thing does not exist
	ECONFLICT     = "conflict"     // the thing exists or changed underneath
	ELOCKED       = "locked"       // the database is held by another process
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // credentials lack the permission
	ETOOLARGE     = "too_large"    // a body or line exceeds a limit
	EINTERNAL     = "internal"     // anything else; logged once at the edge
	EUNAVAILABLE  = "unavailable"  // not ready yet (starting, migrating)
)

// Error is an error a user can act on: a stable code, a human message, and
// optional details (for example the rejected records of an import).
type Error struct {
	Code    string
	Message string
	Details any
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain;
// other errors get a generic message so internals never leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
