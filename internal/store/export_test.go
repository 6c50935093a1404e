package store

// RowGroupRows is where a bulk load checkpoints (tests).
const RowGroupRows = rowGroupRows

// BulkState reports what a BulkLoad store believes of the interactions
// table's rows in storage and the bytes of the bodies stored since its last
// checkpoint (tests).
func (s *Store) BulkState() (rows, unsaved int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows, s.unsaved
}

// SetBulkRows sets the rows a BulkLoad store believes the interactions
// table holds, as if earlier imports had stored them (tests).
func (s *Store) SetBulkRows(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = n
}
