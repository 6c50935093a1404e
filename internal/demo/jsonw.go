package demo

import "strconv"

// The writers below append JSON fragments to a []byte. encoding/json costs a reflection walk and an
// allocation per record; at 150,000 interactions a second the generator cannot afford either.

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a quoted JSON string. Text the generator writes is valid UTF-8 by
// construction, so only quotes, backslashes and control characters need escaping. It takes text held
// in a scratch buffer as well as strings.
func appendJSONString[T string | []byte](b []byte, s T) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscapedByte(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// appendTime appends a quoted RFC 3339 UTC timestamp for Unix seconds. It is the civil-from-days
// algorithm (H. Hinnant), about twenty times cheaper than time.Time.AppendFormat.
func appendTime(b []byte, unix int64) []byte {
	days := unix / 86400
	secs := unix % 86400
	if secs < 0 {
		secs += 86400
		days--
	}
	y, m, d := civil(days)
	b = append(b, '"')
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	b = append2(b, int(secs/3600))
	b = append(b, ':')
	b = append2(b, int(secs/60%60))
	b = append(b, ':')
	b = append2(b, int(secs%60))
	return append(b, 'Z', '"')
}

// timeCache remembers the formatted date of the last day seen: a transcript's turns share a day.
type timeCache struct {
	day    int64
	prefix [12]byte // `"2026-10-02T`
	ok     bool
}

// appendTime is appendTime with the date part cached.
func (tc *timeCache) appendTime(b []byte, unix int64) []byte {
	days := unix / 86400
	secs := unix % 86400
	if secs < 0 {
		return appendTime(b, unix)
	}
	if !tc.ok || days != tc.day {
		appendTime(tc.prefix[:0], unix)
		tc.day, tc.ok = days, true
	}
	b = append(b, tc.prefix[:]...)
	b = append2(b, int(secs/3600))
	b = append(b, ':')
	b = append2(b, int(secs/60%60))
	b = append(b, ':')
	b = append2(b, int(secs%60))
	return append(b, 'Z', '"')
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date.
func civil(days int64) (year, month, day int) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendMoney appends pence as decimal major units with two places (5499 → 54.99).
func appendMoney(b []byte, pence int64) []byte {
	if pence < 0 {
		b = append(b, '-')
		pence = -pence
	}
	b = strconv.AppendInt(b, pence/100, 10)
	return append(b, '.', byte('0'+pence/10%10), byte('0'+pence%10))
}

// appendPounds appends pence as a price a person would write: £54.99, or £5 for whole pounds.
func appendPounds(b []byte, pence int64) []byte {
	b = append(b, "£"...)
	if pence%100 == 0 {
		return strconv.AppendInt(b, pence/100, 10)
	}
	return appendMoney(b, pence)
}
