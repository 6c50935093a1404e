// Package identity makes one customer out of the many ways a person reaches a
// brand: it normalises identities (emails, phone numbers, handles, ids) so the
// same person matches across sources, and resolves a record's identities to
// one customer, creating or merging customers as records link identities.
package identity
