package demo

import (
	"fmt"
	"time"
)

// Config sizes and seeds a demo world. The same Config always produces byte-identical files.
type Config struct {
	// Seed selects the world; every random choice derives from it.
	Seed int64
	// Customers is the number of customer records (active at the window start, joining during it, or lapsed).
	Customers int
	// Days is the length of the observed window that ends at End.
	Days int
	// End is the exclusive end of the window (the world's last day is the day before). Zero means
	// 2026-11-01T00:00:00Z, fixed so that worlds do not depend on the clock.
	End time.Time
}

// Limits on Config; the incident schedule needs two weeks to fit.
const (
	MinDays      = 14
	MaxDays      = 365
	MaxCustomers = 5_000_000
)

// DefaultEnd is the End used when Config.End is zero: fixed so that worlds do not depend on the clock.
func DefaultEnd() time.Time { return time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC) }

// DefaultConfig is the world `northstar demo` writes: 20,000 customers over 90 days
// (about 150,000 interactions of about 10 turns each).
func DefaultConfig() Config {
	return Config{Seed: 42, Customers: 20_000, Days: 90, End: DefaultEnd()}
}

// normalised fills defaults and checks ranges. End is truncated to whole seconds in UTC.
func (c Config) normalised() (Config, error) {
	if c.End.IsZero() {
		c.End = DefaultEnd()
	}
	c.End = c.End.UTC().Truncate(time.Second)
	if c.Customers < 1 || c.Customers > MaxCustomers {
		return c, fmt.Errorf("demo config: customers = %d, want 1..%d", c.Customers, MaxCustomers)
	}
	if c.Days < MinDays || c.Days > MaxDays {
		return c, fmt.Errorf("demo config: days = %d, want %d..%d (the incidents need two weeks)", c.Days, MinDays, MaxDays)
	}
	return c, nil
}
