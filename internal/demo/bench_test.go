package demo

import (
	"context"
	"testing"
)

// BenchmarkWrite generates a 2,000-customer, 30-day world (about 5,600 interactions) per iteration
// into a temporary directory and reports interactions per second of wall time and of process CPU
// time (user+system, all threads).
func BenchmarkWrite(b *testing.B) {
	cfg := Config{Seed: 7, Customers: 2000, Days: 30}
	dir := b.TempDir()
	var n int
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	for b.Loop() {
		tr, err := Write(context.Background(), dir, cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		n += tr.Counts.Interactions
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "interactions/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu, "interactions/cpu-s")
	}
}

func BenchmarkAppendJSONBytes(b *testing.B) {
	text := []byte("Hi there, my delivery came without the crème fraîche, so I can't make the \"Fish Pie\".\nThanks")
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		buf = appendJSONString(buf[:0], text)
	}
}

func BenchmarkAppendTime(b *testing.B) {
	buf := make([]byte, 0, 32)
	u := DefaultEnd().Unix()
	for b.Loop() {
		u += 37
		buf = appendTime(buf[:0], u)
	}
}

func BenchmarkFill(b *testing.B) {
	tp, err := parseTemplate("I've found order {order}. It's with {courier} and out for delivery, expected between {eta}.")
	if err != nil {
		b.Fatal(err)
	}
	var v slotValues
	v.setS(slotOrder, "HH-1234567")
	v.setS(slotCourier, "Parcelway")
	v.setS(slotETA, "4pm and 6pm")
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = fill(buf[:0], tp, &v)
	}
}

// BenchmarkWriteDefault generates the default world (20,000 customers, 90 days, ≈150,000 interactions).
func BenchmarkWriteDefault(b *testing.B) {
	dir := b.TempDir()
	var n int
	cpu0 := cpuSeconds()
	for b.Loop() {
		tr, err := Write(context.Background(), dir, DefaultConfig(), nil)
		if err != nil {
			b.Fatal(err)
		}
		n += tr.Counts.Interactions
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "interactions/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu, "interactions/cpu-s")
	}
}

// BenchmarkWriteTiny is the fixed cost of a Write: files, roster, phrase bank and the training set.
func BenchmarkWriteTiny(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Write(context.Background(), dir, Config{Seed: 1, Customers: 1, Days: 14}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
