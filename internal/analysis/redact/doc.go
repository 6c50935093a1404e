// Package redact removes personal identifiers from customer text before
// anything is stored, replacing each one with a typed placeholder such as
// "[EMAIL]" or "[PHONE]".
//
// It is the first stage of the analysis pipeline and runs on every turn of
// every interaction, so it is a single left-to-right byte scanner rather than
// a stack of regular expressions: the pipeline has about 100 µs per
// interaction per core and redaction's share is about 15 µs per KB. The
// scanner only looks closer at an '@', at the start of a word that begins
// with a digit, '+' or '(', at short letter prefixes that may open a
// postcode, National Insurance number or IBAN, at month names, and at "::".
// Everything else is skipped a word at a time.
//
// # What is found
//
//   - Email: local@domain.tld, the top-level domain being letters only.
//   - Phone: international ("+44 7700 900123", "0044 20 7946 0958",
//     "+1 (415) 555-0132") when github.com/nyaruka/phonenumbers says the
//     length is possible for the country; national numbers of the default
//     region written with their trunk prefix ("07700 900123",
//     "(020) 7946 0958") when the length is possible and they are full
//     length and grouped or after a phone cue ("call me on"), or else when
//     the library calls them valid; national numbers without the trunk
//     prefix only in regions where it is optional (NANPA), when grouped or
//     cued, and valid. A number right after an order/ref/tracking word is
//     a reference, not a phone, unless written with '+'.
//   - Card: 13–19 digits starting with 2–6, contiguous or grouped as
//     printed (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4), Luhn-valid;
//     a contiguous run right after a reference word is that reference.
//   - IBAN: a known country code, that country's length, groups of four or
//     none, mod-97 check; any case.
//   - NINO: UK National Insurance numbers with HMRC's prefix rules and a
//     suffix A–D ("AB123456C", "AB 12 34 56 C"); any case.
//   - SSN: US Social Security numbers "123-45-6789" or "123 45 6789" (area
//     not 000, 666 or 9xx; group not 00; serial not 0000); nine contiguous
//     digits only after "SSN" or "social security".
//   - Postcode: UK postcodes with a real postcode area (SW, M, EH, …) and
//     the positional letter rules, with or without the space, any case.
//   - IP: IPv4 dotted quads (not after "version", "build", "firmware"…) and
//     IPv6 addresses with at least one decimal digit, checked by net/netip.
//   - DOB: full dates (day, month and year), numeric ("12/03/1985",
//     "1985-03-12", "12.03.85") or written ("12 March 1985",
//     "March 12th, 1985"), under the rule below.
//
// Numbers glued together are told apart the way a reader would: a number
// does not end where '/', ':', '.' or '-' joins it to more digits, a run of
// groups ends at a full stop followed by a space, and when the last groups
// of a phone or card reading start an SSN, a date, a card or another phone
// number, the reading stops before them.
//
// # The date-of-birth rule
//
// A full date is redacted as a date of birth when
//
//   - it follows a cue, possibly through filler words and punctuation:
//     "born", "DOB", "D.O.B.", "birth" (as in "date of birth"),
//     "birthday", "birthdate" ("I was born on the 12th of March 1985",
//     "DOB: 12.03.85"); any full date after a cue goes, however recent; or
//   - its four-digit year is more than ten years before the current year
//     (Options.Now, or the interaction's time given to RedactAsOf) and the
//     words before it do not say what else it is
//     ("customer since", "delivered on", "expired", "from"…).
//
// So "my box was due on 12/10/2026" stays and "12/03/1985" goes. Dates
// with a two-digit year are only redacted after a cue, because "2.1.10" is
// as likely a version as a date; dates without a year are never redacted.
// The cost of the rule is an old date with nothing around it ("the warranty
// card says 19/05/2004"), which is redacted. A date that is not redacted is
// still consumed as a date, so its digits are not read as a phone number.
//
// Cues are only looked for right before a candidate, through at most three
// filler words, and never across a sentence end or a placeholder.
//
// # Guarantees
//
// Redact never panics, returns its input without allocating when nothing is
// found, preserves every byte outside the redacted spans, never matches
// inside a placeholder, and is idempotent. Idempotence is built in twice:
// the rules treat a placeholder's brackets like the identifier they replaced
// (a '[' after a candidate continues it, a ']' before one glues to it), so a
// second scan of the output finds nothing; and Redact still rescans its
// output when it found something, and keeps going until nothing more is
// found, so idempotence does not rest on that case analysis.
//
// Version is stored beside every result; bump it whenever a rule changes.
package redact
