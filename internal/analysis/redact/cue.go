package redact

// cueKind selects a vocabulary of context words read before a candidate.
type cueKind uint8

const (
	cueDOB     cueKind = iota // "born", "DOB", "date of birth": the date is a birth date
	cuePhone                  // "call", "mobile", "my number is": the digits are a phone
	cueRef                    // "order", "tracking", "invoice": the digits are a reference
	cueSSN                    // "SSN", "social security": nine digits are an SSN
	cueVersion                // "version", "build", "firmware": a dotted quad is a version
	cueNotDOB                 // "since", "delivered on", "expires": an old date that is not a birth date
)

const (
	cueHops    = 4  // words looked at before giving up (cue plus fillers)
	cueMaxSep  = 8  // separator bytes skipped between two words
	cueMaxWord = 16 // longer words are no cue (and bound the work)
	maxAbbrev  = 3  // "no.", "ref.", "tel.", "D.O.B.": a full stop after a longer word ends a sentence
)

// cueWord is what classify makes of a word read before a candidate.
type cueWord uint8

const (
	cueStop     cueWord = iota // anything else: the chain is broken
	cueContinue                // a filler to read past ("on", "the", "is")
	cueHit                     // a cue of the kind asked for
)

// cueBefore reports whether a cue word of the given kind ends right before
// pos, possibly through a few filler words ("born on the", "my number is")
// and punctuation. Anything else, including a placeholder, breaks the chain:
// a cue must be next to what it qualifies, which also keeps the decision the
// same before and after neighbouring identifiers are replaced.
func cueBefore(t string, pos int, kind cueKind) bool {
	j := pos
	for hop := 0; hop < cueHops; hop++ {
		sep := 0
		stop := false // a full stop and a space: a new sentence, unless after an abbreviation
		for j > 0 && sep < cueMaxSep && isCueSep(t[j-1]) {
			if t[j-1] == '.' && j < len(t) && (t[j] == ' ' || t[j] == '\n') {
				stop = true
			}
			j--
			sep++
		}
		we := j
		for j > 0 && we-j <= cueMaxWord && isLetter(t[j-1]) {
			j--
		}
		if j == we || we-j > cueMaxWord || (j > 0 && isDigit(t[j-1])) || (stop && we-j > maxAbbrev) {
			return false
		}
		switch classify(kind, t, j, t[j:we]) {
		case cueHit:
			return true
		case cueStop:
			return false
		}
	}
	return false
}

func isCueSep(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', ':', ',', '-', '(', ')', '.', '#', '\'', '"', '=', '<', '>':
		return true
	}
	return false
}

// classify tells whether w, which starts at t[ws], is a cue of the kind, a
// filler to read past, or a stop.
func classify(kind cueKind, t string, ws int, w string) cueWord {
	switch kind {
	case cueDOB:
		if in(w, "born", "dob", "birth", "birthday", "birthdate", "bday", "dateofbirth") {
			return cueHit
		}
		if eqFold(w, "b") && ws >= 4 && eqFold(t[ws-4:ws], "d.o.") {
			return cueHit // D.O.B.
		}
		if in(w, "on", "the", "is", "was", "in", "of", "my", "at", "am", "i", "date") {
			return cueContinue
		}
	case cuePhone:
		if in(w, "call", "phone", "tel", "telephone", "mobile", "mob", "cell", "cellphone",
			"ring", "text", "sms", "whatsapp", "landline", "fax", "contact", "reach", "number",
			"ph", "callback") {
			return cueHit
		}
		if in(w, "me", "us", "on", "at", "is", "my", "our", "the", "no", "num", "nr", "or", "back") {
			return cueContinue
		}
	case cueRef:
		if in(w, "order", "orders", "ref", "reference", "invoice", "tracking", "track", "account",
			"acct", "booking", "ticket", "case", "parcel", "item", "sku", "serial", "model",
			"transaction", "confirmation", "membership", "policy", "claim", "reservation",
			"voucher", "pnr", "receipt", "product", "part", "consignment", "shipment", "awb",
			"barcode", "ean", "upc", "isbn", "imei", "batch", "lot") {
			return cueHit
		}
		if in(w, "number", "no", "num", "nr", "id", "is", "the", "was", "code") {
			return cueContinue
		}
	case cueSSN:
		if in(w, "ssn", "ssns") {
			return cueHit
		}
		if eqFold(w, "security") {
			if cueBeforeWord(t, ws, "social") {
				return cueHit
			}
			return cueStop
		}
		if in(w, "is", "my", "number", "no", "num", "the") {
			return cueContinue
		}
	case cueNotDOB:
		if in(w, "since", "joined", "opened", "bought", "purchased", "ordered", "delivered",
			"dispatched", "shipped", "dated", "expired", "expires", "expiry", "renewed", "until",
			"till", "from", "between", "installed", "registered", "moved") {
			return cueHit
		}
		if in(w, "on", "the", "in", "of", "back", "was", "is", "date") {
			return cueContinue
		}
	case cueVersion:
		if in(w, "version", "ver", "v", "build", "release", "firmware", "software", "app",
			"ios", "android", "update", "updated", "upgrade", "upgraded", "patch") {
			return cueHit
		}
		if in(w, "is", "to", "from", "on", "of", "the", "now", "running") {
			return cueContinue
		}
	}
	return cueStop
}

// cueBeforeWord reports whether the word right before pos is lit.
func cueBeforeWord(t string, pos int, lit string) bool {
	j := pos
	for j > 0 && pos-j < cueMaxSep && (t[j-1] == ' ' || t[j-1] == '-') {
		j--
	}
	we := j
	for j > 0 && we-j <= len(lit) && isLetter(t[j-1]) {
		j--
	}
	return (j == 0 || !isAlnum(t[j-1])) && eqFold(t[j:we], lit)
}

// in reports whether w is one of the lower-case words, ignoring case.
func in(w string, words ...string) bool {
	for _, lit := range words {
		if eqFold(w, lit) {
			return true
		}
	}
	return false
}

// dobCue reports whether a date at pos follows a date-of-birth cue.
func dobCue(t string, pos int) bool { return cueBefore(t, pos, cueDOB) }
