// Package neardup finds notices that are the same text published more than
// once: on another site, in other page chrome, with a few words changed. A
// notice's body is summarised at index time as a MinHash signature of its
// four-character shingles (normalised text, punctuation dropped): Hashes
// minimum hashes of 16 bits, whose share of agreements estimates the
// Jaccard similarity of two bodies' shingles. Two bodies of Threshold or
// more are near duplicates; candidate pairs are those that agree in one of
// Bands bands of the signature at least (locality-sensitive hashing).
package neardup

import (
	"encoding/hex"
	"hash/fnv"

	"noticesearch/dict"
)

// Hashes is the length of a signature, in minimum hashes; Bands the bands
// it is cut into for candidates, Hashes/Bands each: a pair of similarity
// 0.8 is a candidate with probability 0.998, of 0.6 with 0.67, of 0.05
// with 5·10⁻⁵.
const (
	Hashes = 32
	Bands  = 8
)

// Threshold is the least estimated similarity of near duplicates: a copy
// with a sentence in ten dropped and a few characters changed is 0.8 or
// so; different notices of one genre 0.1 at most.
const Threshold = 0.6

// MinChars is the least characters a body needs to be compared: a short
// notice's few shingles say too little.
const MinChars = 120

// shingle is the characters a shingle holds.
const shingle = 4

// Signature is a body's MinHash signature.
type Signature [Hashes]uint16

// multipliers are the odd constants of the hash functions (x·a)>>48.
var multipliers = func() [Hashes]uint64 {
	var m [Hashes]uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range m {
		// splitmix64: fixed, so that signatures agree across builds.
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		m[i] = (z ^ (z >> 31)) | 1
	}
	return m
}()

// Sign is text's signature, and false for a text under MinChars.
func Sign(text string) (Signature, bool) {
	var runes []rune
	for _, r := range dict.NormalizeString(text) {
		if r != '|' { // a barrier
			runes = append(runes, r)
		}
	}
	var sig Signature
	if len(runes) < MinChars {
		return sig, false
	}
	for i := range sig {
		sig[i] = 0xffff
	}
	h := fnv.New64a()
	var buf [4 * shingle]byte
	for i := 0; i+shingle <= len(runes); i++ {
		b := buf[:0]
		for _, r := range runes[i : i+shingle] {
			b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
		h.Reset()
		h.Write(b)
		x := h.Sum64()
		for k, a := range multipliers {
			if v := uint16((x * a) >> 48); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig, true
}

// Similarity estimates the Jaccard similarity of two signatures' bodies.
func Similarity(a, b *Signature) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / Hashes
}

// Format and Parse write a signature as metadata keeps it: hex, "" for
// none.
func Format(s Signature, ok bool) string {
	if !ok {
		return ""
	}
	b := make([]byte, 0, 2*Hashes)
	for _, v := range s {
		b = append(b, byte(v>>8), byte(v))
	}
	return hex.EncodeToString(b)
}

func Parse(s string) (Signature, bool) {
	var sig Signature
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 2*Hashes {
		return sig, false
	}
	for i := range sig {
		sig[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return sig, true
}

// Groups numbers the groups of near duplicates among sigs (those with ok
// false take no part): group[i] is sigs[i]'s group, 0 when it has no near
// duplicate, groups numbered from 1. A group is closed: A near B and B
// near C puts all three in one.
func Groups(sigs []Signature, ok []bool) []int32 {
	parent := make([]int32, len(sigs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	rows := Hashes / Bands
	for band := range Bands {
		buckets := map[uint64][]int32{}
		for i := range sigs {
			if !ok[i] {
				continue
			}
			var k uint64
			for _, v := range sigs[i][band*rows : (band+1)*rows] {
				k = k<<16 | uint64(v)
			}
			buckets[k] = append(buckets[k], int32(i))
		}
		for _, b := range buckets {
			for x := range b {
				for y := x + 1; y < len(b); y++ {
					i, j := b[x], b[y]
					if ri, rj := find(i), find(j); ri != rj && Similarity(&sigs[i], &sigs[j]) >= Threshold {
						parent[max(ri, rj)] = min(ri, rj)
					}
				}
			}
		}
	}
	size := map[int32]int{}
	for i := range sigs {
		size[find(int32(i))]++
	}
	out := make([]int32, len(sigs))
	num := map[int32]int32{}
	for i := range sigs {
		r := find(int32(i))
		if size[r] < 2 {
			continue
		}
		if num[r] == 0 {
			num[r] = int32(len(num) + 1)
		}
		out[i] = num[r]
	}
	return out
}
