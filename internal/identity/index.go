package identity

import (
	"slices"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Index maps identities to customers in memory so that resolving a record
// costs a few map lookups. The store loads it from the database, applies the
// resolutions it returns in the same transaction, and reloads it if that
// transaction fails. It is not safe for concurrent use: the store serialises
// writers.
type Index struct {
	owner  map[cx.Identity]int64 // identity → customer that first claimed it
	parent map[int64]int64       // merged customer → the customer it merged into
	nextID int64
}

// NewIndex returns an empty index whose first new customer gets id nextID.
func NewIndex(nextID int64) *Index {
	if nextID < 1 {
		nextID = 1
	}
	return &Index{owner: make(map[cx.Identity]int64), parent: make(map[int64]int64), nextID: nextID}
}

// Add records that an identity belongs to a customer (when loading).
func (x *Index) Add(id cx.Identity, customer int64) {
	x.owner[id] = customer
	if customer >= x.nextID {
		x.nextID = customer + 1
	}
}

// AddMerge records that merged was merged into survivor (when loading).
func (x *Index) AddMerge(merged, survivor int64) { x.parent[merged] = survivor }

// NoteCustomer makes sure new customers get ids above an existing one.
func (x *Index) NoteCustomer(id int64) {
	if id >= x.nextID {
		x.nextID = id + 1
	}
}

// Len returns the number of identities known.
func (x *Index) Len() int { return len(x.owner) }

// Canonical follows merges to the customer that survives.
func (x *Index) Canonical(id int64) int64 {
	for {
		p, ok := x.parent[id]
		if !ok {
			return id
		}
		id = p
	}
}

// Lookup returns the surviving customer that owns an identity.
func (x *Index) Lookup(id cx.Identity) (int64, bool) {
	c, ok := x.owner[id]
	if !ok {
		return 0, false
	}
	return x.Canonical(c), true
}

// Resolution is what resolving one record's identities decided.
type Resolution struct {
	Customer      int64         // the surviving customer the record belongs to
	Created       bool          // the customer is new
	NewIdentities []cx.Identity // identities to store for Customer
	Merges        []cx.Merge    // customers merged into Customer, oldest survives
}

// Resolve finds the one customer the identities belong to, creating one when
// none matches and merging when they name several (the oldest — lowest id —
// survives). The index is updated as if the resolution was stored.
func (x *Index) Resolve(ids []cx.Identity, record string, at time.Time) Resolution {
	var found []int64
	for _, id := range ids {
		if c, ok := x.Lookup(id); ok && !slices.Contains(found, c) {
			found = append(found, c)
		}
	}
	var r Resolution
	switch len(found) {
	case 0:
		r.Customer, r.Created = x.nextID, true
		x.nextID++
	default:
		slices.Sort(found)
		r.Customer = found[0]
		for _, other := range found[1:] {
			x.parent[other] = r.Customer
			r.Merges = append(r.Merges, cx.Merge{
				At: at, Survivor: r.Customer, Merged: other,
				Identity: x.linking(ids, other), Record: record,
			})
		}
	}
	for _, id := range ids {
		if _, ok := x.owner[id]; !ok {
			x.owner[id] = r.Customer
			r.NewIdentities = append(r.NewIdentities, id)
		}
	}
	return r
}

// linking returns the record's identity that pointed at the merged customer.
func (x *Index) linking(ids []cx.Identity, merged int64) cx.Identity {
	for _, id := range ids {
		// The parent link is already set, so Lookup would return the survivor:
		// walk from the identity's first owner instead.
		if c, ok := x.owner[id]; ok && x.isMergedInto(c, merged) {
			return id
		}
	}
	return cx.Identity{}
}

func (x *Index) isMergedInto(c, target int64) bool {
	for {
		if c == target {
			return true
		}
		p, ok := x.parent[c]
		if !ok {
			return false
		}
		c = p
	}
}
