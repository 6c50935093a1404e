package outcome

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Contact is one contact of a customer, as the store feeds it to Link.
type Contact struct {
	Key      string    // unique key of the contact
	Customer int64     // the resolved customer
	Intent   string    // the contact's intent; "" or "unknown" cannot be linked
	Channel  string    // any channel: linking ignores it
	At       time.Time // when the contact started
	Resolved bool      // whether the contact itself was resolved
}

// Links is how a contact relates to the customer's other contacts for the
// same intent.
type Links struct {
	RepeatOf     string // the previous contact with the same intent within the window, "" if none
	Repeated     bool   // a later contact with the same intent followed within the window
	FirstContact bool   // no contact with the same intent in the window before it
	FCR          bool   // a first contact that was resolved and not repeated
}

// Link relates contacts for the repeat_rate and fcr metrics. The contacts
// are one customer's (Link also groups by Customer, so several customers'
// contacts are fine), in any order. Two contacts are linked when they share
// an intent, on any channel, and the later one starts within window of the
// earlier one, the boundary included: with a 7-day window a contact exactly
// 7 days later is a repeat, one a nanosecond later is not. Contacts at the
// same instant are ordered by Key.
//
// Definitions, from the product's metric layer:
//   - repeat_rate counts contacts with Repeated;
//   - a first contact has no contact with the same intent in the window
//     before it (RepeatOf == "");
//   - FCR: a first contact that was resolved and not repeated.
//
// Contacts with an unknown intent ("" or "unknown", any case) cannot be
// linked, so they are neither first contacts nor repeats: all their fields
// are false, and the metrics leave them out of the fcr and repeat_rate
// denominators rather than count them as resolved first time. A negative
// window links nothing. Keys are expected to be unique: contacts sharing a
// key share one entry of the result.
func Link(contacts []Contact, window time.Duration) map[string]Links {
	out := make(map[string]Links, len(contacts))
	sorted := make([]*Contact, 0, len(contacts))
	for i := range contacts {
		c := &contacts[i]
		if unknownIntent(c.Intent) {
			out[c.Key] = Links{}
			continue
		}
		sorted = append(sorted, c)
	}
	// Group by customer and intent, then time, then key: one pass links each
	// contact to its predecessor in the same group.
	slices.SortStableFunc(sorted, func(a, b *Contact) int {
		return cmp.Or(
			cmp.Compare(a.Customer, b.Customer),
			strings.Compare(a.Intent, b.Intent),
			a.At.Compare(b.At),
			strings.Compare(a.Key, b.Key),
		)
	})
	for i, c := range sorted {
		l := Links{}
		if i > 0 {
			if p := sorted[i-1]; p.Customer == c.Customer && p.Intent == c.Intent && within(p.At, c.At, window) {
				l.RepeatOf = p.Key
			}
		}
		if i+1 < len(sorted) {
			n := sorted[i+1]
			l.Repeated = n.Customer == c.Customer && n.Intent == c.Intent && within(c.At, n.At, window)
		}
		l.FirstContact = l.RepeatOf == ""
		l.FCR = l.FirstContact && c.Resolved && !l.Repeated
		out[c.Key] = l
	}
	return out
}

// within reports whether later starts no more than window after earlier.
func within(earlier, later time.Time, window time.Duration) bool {
	if window < 0 {
		return false
	}
	d := later.Sub(earlier) // saturates rather than overflowing
	return d >= 0 && d <= window
}

// unknownIntent reports whether an intent cannot be used for linking.
func unknownIntent(intent string) bool {
	intent = strings.TrimSpace(intent)
	return intent == "" || strings.EqualFold(intent, "unknown")
}
