package insight

// CachedKeys lists the answers the service holds, computed ones only, most
// recent first (tests).
func (s *Service) CachedKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	if s.lru == nil {
		return nil
	}
	for el := s.lru.Front(); el != nil; el = el.Next() {
		e := el.Value.(*memoEntry)
		select {
		case <-e.done:
			out = append(out, e.key)
		default:
		}
	}
	return out
}
