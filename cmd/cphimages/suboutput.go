package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// encodeJSON writes v as indented JSON, with "<", ">" and "&" as they are.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// formatTime returns t in RFC 3339 UTC, or raw (the text the service sent)
// when t is zero; "" when both are.
func formatTime(t time.Time, raw string) string {
	if t.IsZero() {
		return raw
	}
	return t.UTC().Format(time.RFC3339)
}

// humanSize returns n bytes in binary units with one decimal, such as
// "1.5 GiB"; under 1 KiB, in bytes, such as "512 B".
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n)/unit, 0
	for v >= unit-0.05 && i < len(units)-1 { // what %.1f would show as 1024.0
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
