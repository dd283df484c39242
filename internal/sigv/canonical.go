package sigv

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// canonicalRequest returns the canonical request of r as a server received
// it, over the headers named in signed (lower case, in the order given),
// with payload standing for the body:
//
//	method \n canonical URI \n canonical query \n canonical headers \n
//	signed headers joined by ";" \n payload
//
// The query must already have been checked to parse (see checkQuery).
func canonicalRequest(r *http.Request, signed []string, payload string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	writeCanonicalURI(&b, r.URL.Path)
	b.WriteByte('\n')
	writeCanonicalQuery(&b, r.URL.RawQuery)
	b.WriteByte('\n')
	for _, name := range signed {
		writeCanonicalHeader(&b, r, name)
	}
	b.WriteByte('\n')
	for i, name := range signed {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(name)
	}
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// writeCanonicalURI writes the decoded path p with each "/"-separated
// segment escaped, ending in "/". An escaped slash (%2F) has been decoded
// into p, so it separates segments like any other.
func writeCanonicalURI(b *strings.Builder, p string) {
	for i, seg := range strings.Split(p, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		writeEscaped(b, seg)
	}
	if p == "" || p[len(p)-1] != '/' {
		b.WriteByte('/')
	}
}

// checkQuery reports whether the raw query parses; a query that does not
// is refused rather than verified without its unreadable parts.
func checkQuery(raw string) error {
	_, err := url.ParseQuery(raw)
	return err
}

// writeCanonicalQuery writes "key=value" for every value of the raw query,
// decoded ("+" is a space) and escaped again, sorted by key and then by
// value, both compared as decoded bytes, joined by "&". A key without "="
// has an empty value and is written with its "=".
func writeCanonicalQuery(b *strings.Builder, raw string) {
	q, _ := url.ParseQuery(raw)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	first := true
	for _, k := range keys {
		vs := slices.Clone(q[k])
		slices.Sort(vs)
		for _, v := range vs {
			if !first {
				b.WriteByte('&')
			}
			first = false
			writeEscaped(b, k)
			b.WriteByte('=')
			writeEscaped(b, v)
		}
	}
}

// writeCanonicalHeader writes "name:value\n" for every value of the
// header name (the request's Host for "host"), values sorted and trimmed
// of surrounding white space. A header the request does not carry writes
// nothing.
func writeCanonicalHeader(b *strings.Builder, r *http.Request, name string) {
	var vs []string
	if name == "host" {
		vs = []string{r.Host}
	} else {
		vs = slices.Clone(r.Header.Values(name))
		slices.Sort(vs)
	}
	for _, v := range vs {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(v))
		b.WriteByte('\n')
	}
}

// writeEscaped writes s with every byte but the unreserved characters of
// RFC 3986 (A-Z a-z 0-9 - _ . ~) written as %XY, upper-case hex.
func writeEscaped(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
