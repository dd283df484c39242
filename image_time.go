package cph

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// The times of the custom-image documents (create_time, update_time). The
// reference pages type them as strings in ListImages' answer and as Long
// numbers in ListImageMembers' (epoch milliseconds in its example), and
// state no format, so parseWireTime reads every form they plausibly take:
//
//   - a JSON number of epoch milliseconds: 1713320018058;
//   - a JSON string of epoch milliseconds: "1713320018058";
//   - a JSON string in RFC 3339, with or without fractional seconds, with
//     an offset or Z: "2024-04-17T02:13:38Z", "2024-04-17T10:13:38.058+08:00";
//   - a JSON string "2006-01-02 15:04:05", with optional fractional
//     seconds, read as UTC: other Huawei Cloud pages show such strings
//     without a zone.
//
// Any other form (0, a negative or fractional number, a number too large
// for a time, other text) is not understood: the time stays zero, and the
// raw text is kept so that nothing is lost. A time never fails a call.

// maxWireMillis is the largest epoch millisecond a time takes: the end of
// year 9999, where the time formats end.
const maxWireMillis = 253402300799999

// wireSpaceLayout is the zone-less form some Huawei Cloud pages show.
const wireSpaceLayout = "2006-01-02 15:04:05.999999999"

// parseWireTime reads a create_time or update_time as it came: it returns
// the time in UTC, or the zero time for a form it does not understand, and
// the raw text (a JSON string's unquoted text, a number's digits; "" for
// none or null).
func parseWireTime(raw json.RawMessage) (time.Time, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, ""
	}
	if raw[0] != '"' {
		text := string(raw)
		return parseMillis(text), text
	}
	var text string
	if json.Unmarshal(raw, &text) != nil { // not a valid string: keep what came
		return time.Time{}, string(raw)
	}
	return parseTimeText(text), text
}

// parseTimeText reads the text of a JSON string time: epoch milliseconds,
// RFC 3339, or the zone-less "2006-01-02 15:04:05" form as UTC.
func parseTimeText(s string) time.Time {
	if isDigits(s) {
		return parseMillis(s)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(wireSpaceLayout, s); err == nil {
		return t // UTC: Parse takes a zone-less time as UTC
	}
	return time.Time{}
}

// parseMillis reads s, ASCII digits of epoch milliseconds from 1 to
// maxWireMillis, as a UTC time; anything else is the zero time. (0 is
// taken to mean "not set", not 1970.)
func parseMillis(s string) time.Time {
	if !isDigits(s) {
		return time.Time{}
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 || ms > maxWireMillis {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
