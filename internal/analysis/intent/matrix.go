package intent

import (
	"math"
	"slices"
)

// matrix is a set of utterances as sparse rows (CSR), the training input.
type matrix struct {
	ptr []int32 // row i is idx[ptr[i]:ptr[i+1]]
	idx []int32
	val []float32
	sq  []float32 // squared l2 norm of each row
}

func (m *matrix) rows() int { return len(m.ptr) - 1 }

func (m *matrix) row(i int) ([]int32, []float32) {
	a, b := m.ptr[i], m.ptr[i+1]
	return m.idx[a:b], m.val[a:b]
}

// fitVectorizer builds the vocabulary and idf from texts: features seen in at
// least minDF texts, word features first, each block in hash order so that the
// same data always gives the same model.
func fitVectorizer(texts []string, cfg featureConfig, minDF int) vectorizer {
	dfWord := make(map[uint64]int32)
	dfChar := make(map[uint64]int32)
	var tok tokens
	var word, char []uint64
	for _, text := range texts {
		tok.tokenize(text, cfg.FoldDigits)
		word, char = cfg.features(&tok, word[:0], char[:0])
		countOnce(dfWord, word)
		countOnce(dfChar, char)
	}
	keep := func(df map[uint64]int32) []uint64 {
		var hs []uint64
		for h, n := range df {
			if int(n) >= minDF {
				hs = append(hs, h)
			}
		}
		slices.Sort(hs)
		return hs
	}
	hw, hc := keep(dfWord), keep(dfChar)
	hashes := append(hw, hc...)
	idf := make([]float32, len(hashes))
	n := float64(len(texts))
	for i, h := range hashes {
		df := dfWord[h]
		if i >= len(hw) {
			df = dfChar[h]
		}
		// sklearn's smoothed idf: as if one extra document held every feature.
		idf[i] = float32(math.Log((1+n)/(1+float64(df))) + 1)
	}
	return vectorizer{cfg: cfg, voc: newVocab(hashes, idf), nWord: int32(len(hw)), idf: idf}
}

// countOnce adds one to df for every distinct hash in hs (hs is reordered).
func countOnce(df map[uint64]int32, hs []uint64) {
	slices.Sort(hs)
	for i, h := range hs {
		if i == 0 || hs[i-1] != h {
			df[h]++
		}
	}
}

// transform vectorizes every text into a matrix.
func (v *vectorizer) transform(texts []string) *matrix {
	s := v.newScratch(len(v.idf), 0)
	m := &matrix{ptr: make([]int32, 1, len(texts)+1), sq: make([]float32, 0, len(texts))}
	for _, text := range texts {
		v.vectorize(text, s)
		var sq float64
		for _, x := range s.vec.val {
			sq += float64(x) * float64(x)
		}
		m.idx = append(m.idx, s.vec.idx...)
		m.val = append(m.val, s.vec.val...)
		m.ptr = append(m.ptr, int32(len(m.idx)))
		m.sq = append(m.sq, float32(sq))
	}
	return m
}

// subset returns the rows listed in rows, in that order.
func (m *matrix) subset(rows []int) *matrix {
	out := &matrix{ptr: make([]int32, 1, len(rows)+1), sq: make([]float32, 0, len(rows))}
	for _, i := range rows {
		idx, val := m.row(i)
		out.idx = append(out.idx, idx...)
		out.val = append(out.val, val...)
		out.ptr = append(out.ptr, int32(len(out.idx)))
		out.sq = append(out.sq, m.sq[i])
	}
	return out
}
