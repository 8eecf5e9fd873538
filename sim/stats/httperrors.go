package stats

import (
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
)

// HTTP error codes are counted in a fixed array: index code-400 for the
// codes 400..599 and index HTTPOtherIndex for every other code ("other").
const (
	// HTTPErrorSlots is the length of the per-client error counter array.
	HTTPErrorSlots = 201
	// HTTPOtherIndex is the array index of the "other" counter.
	HTTPOtherIndex = 200
	// HTTPOtherCode is the key under which "other" is reported
	// (GetHTTPErrors, HTTPErrorCounts.Get/All/Map).
	HTTPOtherCode = 0
	// MinHTTPErrorCode and MaxHTTPErrorCode bound the individually counted codes.
	MinHTTPErrorCode = 400
	MaxHTTPErrorCode = 599
)

// httpErrorIndex maps a status code to its counter index.
func httpErrorIndex(code int) int {
	if code >= MinHTTPErrorCode && code <= MaxHTTPErrorCode {
		return code - MinHTTPErrorCode
	}
	return HTTPOtherIndex
}

// HTTPErrorCounts holds HTTP error totals by status code: index code-400 for
// 400..599 and index 200 for "other" (any code outside 400..599). It is the
// fixed-array form of the code -> count maps of the API (GetHTTPErrors,
// AggregatedStats.TotalHTTPErrors): it costs no allocation and iterates in
// code order.
type HTTPErrorCounts [HTTPErrorSlots]int64

// HTTPErrorCountsOf returns the counts of m (code -> count; codes outside
// 400..599, 0 included, count as "other") in fixed-array form.
func HTTPErrorCountsOf(m map[int]int64) HTTPErrorCounts {
	var h HTTPErrorCounts
	for code, n := range m {
		h.Add(code, n)
	}
	return h
}

// Get returns the count for code; code 0 (HTTPOtherCode) returns "other".
// Codes outside 400..599 other than 0 return 0.
func (h *HTTPErrorCounts) Get(code int) int64 {
	if code == HTTPOtherCode {
		return h[HTTPOtherIndex]
	}
	if code >= MinHTTPErrorCode && code <= MaxHTTPErrorCode {
		return h[code-MinHTTPErrorCode]
	}
	return 0
}

// Add adds n to the counter of code (codes outside 400..599, including 0,
// count as "other").
func (h *HTTPErrorCounts) Add(code int, n int64) { h[httpErrorIndex(code)] += n }

// All iterates over the non-zero counters: "other" first (as code 0), then
// the status codes in ascending order.
func (h *HTTPErrorCounts) All() iter.Seq2[int, int64] {
	return func(yield func(int, int64) bool) {
		if c := h[HTTPOtherIndex]; c != 0 {
			if !yield(HTTPOtherCode, c) {
				return
			}
		}
		for i := 0; i < HTTPOtherIndex; i++ {
			if c := h[i]; c != 0 {
				if !yield(i+MinHTTPErrorCode, c) {
					return
				}
			}
		}
	}
}

// Total returns the sum over all codes including "other".
func (h *HTTPErrorCounts) Total() int64 {
	var t int64
	for _, c := range h {
		t += c
	}
	return t
}

// Map returns the non-zero counters as a map ("other" under key 0), the
// same shape as ClientStats.GetHTTPErrors.
func (h *HTTPErrorCounts) Map() map[int]int64 {
	m := make(map[int]int64)
	for code, c := range h.All() {
		m[code] = c
	}
	return m
}

// MarshalJSON writes the non-zero counters as an object keyed by status
// code, "other" for code 0: {"404":3,"other":1}.
func (h HTTPErrorCounts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	first := true
	for i := 0; i < HTTPErrorSlots; i++ {
		if h[i] == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		if i == HTTPOtherIndex {
			b = append(b, `"other"`...)
		} else {
			b = append(b, '"')
			b = strconv.AppendInt(b, int64(i+MinHTTPErrorCode), 10)
			b = append(b, '"')
		}
		b = append(b, ':')
		b = strconv.AppendInt(b, h[i], 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the form written by MarshalJSON. Keys must be "other"
// or a code in 400..599; counts must be >= 0.
func (h *HTTPErrorCounts) UnmarshalJSON(data []byte) error {
	var m map[string]int64
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("http error counts: %w", err)
	}
	*h = HTTPErrorCounts{}
	for k, v := range m {
		if v < 0 {
			return fmt.Errorf("http error counts: %q: count %d is negative (allowed: >= 0)", k, v)
		}
		if k == "other" {
			h[HTTPOtherIndex] += v
			continue
		}
		code, err := strconv.Atoi(k)
		if err != nil || code < MinHTTPErrorCode || code > MaxHTTPErrorCode {
			return fmt.Errorf("http error counts: key %q is not a status code (allowed: \"other\" or 400..599)", k)
		}
		h[code-MinHTTPErrorCode] += v
	}
	return nil
}
