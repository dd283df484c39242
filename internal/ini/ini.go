// Package ini reads a section of an INI document, as the official SDK's
// profile files (~/.huaweicloud/credentials) hold them.
package ini

import (
	"bytes"
	"fmt"
	"strings"
)

// Section returns the keys of the section named name in an INI
// document, and whether the section is there. It reads what the official
// SDK's profile files hold:
//
//   - "[name]" opens a section; names and keys are matched without regard
//     to case; a section that appears twice is merged, later keys winning;
//   - "key = value" or "key: value", white space around both trimmed;
//   - a value in matching double, single or back quotes is taken as is,
//     otherwise a " #" or " ;" ends it (a comment);
//   - blank lines and lines starting with '#' or ';' are comments.
//
// A line of the section that is none of these is an error naming its
// number; lines of other sections are not checked. Keys are returned in
// lower case.
func Section(data []byte, name string) (map[string]string, bool, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	keys := map[string]string{}
	found, in := false, false
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				if in {
					return nil, false, fmt.Errorf("line %d: section header without ']'", n+1)
				}
				continue
			}
			in = strings.EqualFold(strings.TrimSpace(line[1:end]), name)
			found = found || in
			continue
		case !in:
			continue
		}
		sep := strings.IndexAny(line, "=:")
		if sep <= 0 {
			return nil, false, fmt.Errorf("line %d: not a \"key = value\" line", n+1)
		}
		key := strings.ToLower(strings.TrimSpace(line[:sep]))
		keys[key] = value(strings.TrimSpace(line[sep+1:]))
	}
	return keys, found, nil
}

// value unquotes a quoted value, or cuts a trailing comment off a bare
// one.
func value(v string) string {
	if len(v) >= 2 && strings.ContainsRune("\"'`", rune(v[0])) && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}
