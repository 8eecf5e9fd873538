package scenario

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// The one rule for numbers and booleans. Parse applies it to the unquoted
// scalars of a file (the YAML library's own reading of them is not used) and
// Set to its text, so that a value means the same in a file and in -set.
//
// A number is decimal: an optional sign, digits with an optional fraction,
// and an optional exponent: 100, -3, 0.5, .5, 2., 1e2, 1.5e3, 2E-3. There
// are no digit separators (1_000, 1,000), no hexadecimal, octal or binary
// forms (0x10, 0o10, 0b1), no leading zeros (010: octal in YAML 1.1, ten in
// YAML 1.2) and no infinities or NaN. An integer field takes a number whose
// value is whole (1e2, 100.0); 1.5 is an error. A boolean is true or false,
// in lower case.

// numError says what is wrong with a number's text; it reads after the
// value ("0x10 is not a decimal number ...").
type numError struct{ msg string }

func (e *numError) Error() string { return e.msg }

var (
	errNotNumber  = &numError{"is not a number"}
	errNotFinite  = &numError{"is not a finite number"}
	errNotWhole   = &numError{"is not a whole number"}
	errOutOfRange = &numError{"is out of range"}
	errNotDecimal = &numError{"is not a decimal number (0x, 0o and 0b forms are not accepted)"}
	errSeparator  = &numError{"has digit separators; write the digits without _"}
	errLeadZero   = &numError{"has a leading zero; write it without (010 would be octal in YAML 1.1)"}
	errNotBool    = &numError{"is not true or false"}
)

// decimal is a number's text taken apart: its value is
// (-1 if neg) x 0.digits x 10^point.
type decimal struct {
	neg    bool
	digits string // the integer and fraction digits as written
	point  int64  // digits before the decimal point, after the exponent
}

// maxExponent bounds the exponent read, far beyond any float64.
const maxExponent = 1e9

// scanNumber checks text against the number syntax.
func scanNumber(s string) (decimal, error) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	digitsFrom := func(j int) int {
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j
	}
	intEnd := digitsFrom(i)
	intPart, frac := s[i:intEnd], ""
	i = intEnd
	if i < len(s) && s[i] == '.' {
		end := digitsFrom(i + 1)
		frac = s[i+1 : end]
		i = end
	}
	if intPart == "" && frac == "" {
		return d, badNumber(s)
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		neg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			neg = s[i] == '-'
			i++
		}
		end := digitsFrom(i)
		if end == i {
			return d, badNumber(s)
		}
		for ; i < end; i++ {
			exp = min(exp*10+int64(s[i]-'0'), maxExponent)
		}
		if neg {
			exp = -exp
		}
	}
	if i != len(s) {
		return d, badNumber(s)
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return d, errLeadZero
	}
	d.digits = intPart + frac
	d.point = int64(len(intPart)) + exp
	return d, nil
}

// badNumber tells text that is not a number from a number written in a
// form the rule leaves out.
func badNumber(s string) error {
	t := strings.ToLower(strings.TrimLeft(s, "+-"))
	switch t {
	case "inf", ".inf", "infinity", "nan", ".nan":
		return errNotFinite
	}
	if len(t) > 2 && t[0] == '0' && strings.ContainsRune("xob", rune(t[1])) &&
		strings.Trim(t[2:], "0123456789abcdef_") == "" {
		return errNotDecimal
	}
	if strings.Contains(s, "_") && !strings.Contains(s, "__") {
		if _, err := scanNumber(strings.ReplaceAll(s, "_", "")); err == nil {
			return errSeparator
		}
	}
	return errNotNumber
}

// isNumberText reports whether text is meant as a number: a number, or one
// written in a form the rule leaves out.
func isNumberText(s string) bool {
	_, err := scanNumber(s)
	return !errors.Is(err, errNotNumber)
}

// parseNumber reads a number as a float64.
func parseNumber(s string) (float64, error) {
	if _, err := scanNumber(s); err != nil {
		return 0, err
	}
	// The syntax is a subset of Go's; what remains is overflow (an
	// underflow rounds to 0, the nearest float64).
	f, err := strconv.ParseFloat(s, 64)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errOutOfRange
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNotNumber
	}
	return f, nil
}

// wholeNumber reads a number whose value is whole, exactly: its sign and
// magnitude.
func wholeNumber(s string) (neg bool, mag uint64, err error) {
	d, err := scanNumber(s)
	if err != nil {
		return false, 0, err
	}
	first := strings.IndexFunc(d.digits, func(r rune) bool { return r != '0' })
	if first < 0 {
		return false, 0, nil // zero, however written
	}
	last := int64(strings.LastIndexFunc(d.digits, func(r rune) bool { return r != '0' }))
	if last >= d.point {
		return false, 0, errNotWhole
	}
	if d.point-int64(first) > 20 {
		return false, 0, errOutOfRange
	}
	var b strings.Builder
	for i := int64(first); i < d.point; i++ {
		if i < int64(len(d.digits)) {
			b.WriteByte(d.digits[i])
		} else {
			b.WriteByte('0')
		}
	}
	mag, err = strconv.ParseUint(b.String(), 10, 64)
	if err != nil {
		return false, 0, errOutOfRange
	}
	return d.neg, mag, nil
}

// parseInt reads a whole number that fits an int.
func parseInt(s string) (int, error) {
	neg, mag, err := wholeNumber(s)
	switch {
	case err != nil:
		return 0, err
	case neg && mag <= -math.MinInt:
		return int(-mag), nil
	case !neg && mag <= math.MaxInt:
		return int(mag), nil
	}
	return 0, errOutOfRange
}

// parseUint reads a whole number that fits a uint64.
func parseUint(s string) (uint64, error) {
	neg, mag, err := wholeNumber(s)
	switch {
	case err != nil:
		return 0, err
	case neg && mag != 0:
		return 0, errOutOfRange
	}
	return mag, nil
}

// parseBool reads true or false.
func parseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errNotBool
}
