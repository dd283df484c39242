package cph

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestParseWireTime: every form the documents show, or plausibly take,
// is read; anything else leaves the time zero and keeps the raw text.
func TestParseWireTime(t *testing.T) {
	ms := time.Date(2024, 4, 17, 2, 13, 38, 58_000_000, time.UTC) // 1713320018058
	tests := map[string]struct {
		raw     string
		want    time.Time
		wantRaw string
	}{
		"number of epoch ms, the member list's example": {`1713320018058`, ms, "1713320018058"},
		"string of epoch ms":                            {`"1713320018058"`, ms, "1713320018058"},
		"RFC 3339 with Z":                               {`"2024-04-17T02:13:38Z"`, ms.Truncate(time.Second), "2024-04-17T02:13:38Z"},
		"RFC 3339 with fraction":                        {`"2024-04-17T02:13:38.058Z"`, ms, "2024-04-17T02:13:38.058Z"},
		"RFC 3339 with offset":                          {`"2024-04-17T10:13:38.058+08:00"`, ms, "2024-04-17T10:13:38.058+08:00"},
		"RFC 3339 with nanoseconds":                     {`"2024-04-17T02:13:38.058000001Z"`, ms.Add(1), "2024-04-17T02:13:38.058000001Z"},
		"space form, read as UTC":                       {`"2024-04-17 02:13:38"`, ms.Truncate(time.Second), "2024-04-17 02:13:38"},
		"space form with fraction":                      {`"2024-04-17 02:13:38.058"`, ms, "2024-04-17 02:13:38.058"},
		"white space around":                            {" \n1713320018058\t", ms, "1713320018058"},
		"largest ms, end of 9999":                       {`253402300799999`, time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC), "253402300799999"},
		"1 ms":                                          {`1`, time.UnixMilli(1).UTC(), "1"},

		"absent":                      {``, time.Time{}, ""},
		"null":                        {`null`, time.Time{}, ""},
		"empty string":                {`""`, time.Time{}, ""},
		"zero means unset":            {`0`, time.Time{}, "0"},
		"zero string":                 {`"0"`, time.Time{}, "0"},
		"negative number":             {`-1713320018058`, time.Time{}, "-1713320018058"},
		"negative string":             {`"-5"`, time.Time{}, "-5"},
		"fractional number":           {`1713320018058.5`, time.Time{}, "1713320018058.5"},
		"exponent":                    {`1.713320018058e12`, time.Time{}, "1.713320018058e12"},
		"past year 9999":              {`253402300800000`, time.Time{}, "253402300800000"},
		"past int64":                  {`99999999999999999999999999`, time.Time{}, "99999999999999999999999999"},
		"max int64":                   {`9223372036854775807`, time.Time{}, "9223372036854775807"},
		"garbage text":                {`"yesterday"`, time.Time{}, "yesterday"},
		"date only":                   {`"2024-04-17"`, time.Time{}, "2024-04-17"},
		"RFC 3339 without zone":       {`"2024-04-17T02:13:38"`, time.Time{}, "2024-04-17T02:13:38"},
		"month 13":                    {`"2024-13-17T02:13:38Z"`, time.Time{}, "2024-13-17T02:13:38Z"},
		"boolean":                     {`true`, time.Time{}, "true"},
		"object":                      {`{"s":1}`, time.Time{}, `{"s":1}`},
		"escaped string":              {`"2024-04-17T02:13:38\u005a"`, ms.Truncate(time.Second), "2024-04-17T02:13:38Z"},
		"broken string kept as it is": {`"abc`, time.Time{}, `"abc`},
		"unicode digits":              {`"١٧١٣"`, time.Time{}, "١٧١٣"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, raw := parseWireTime(json.RawMessage(tc.raw))

			assert.True(t, tc.want.Equal(got), "got %v, want %v", got, tc.want)
			assert.Equal(t, tc.wantRaw, raw)
			if !got.IsZero() {
				assert.Equal(t, time.UTC, got.Location(), "times are in UTC")
			}
		})
	}
}
