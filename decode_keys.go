package cph

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"
)

// key reads the key at d.pos, its colon and the white space after it, and
// returns the field it names: the same field encoding/json picks, exact
// name first, else the name under case folding.
func (d *docDecoder) key() (int, error) {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '"' {
		return 0, errAt(data, d.pos, "looking for beginning of object key string")
	}
	field, end := knownKey(data, d.pos)
	var raw []byte
	flags := 0
	if field < 0 {
		var err error
		if end, flags, err = scanString(data, d.pos); err != nil {
			return 0, err
		}
		raw = data[d.pos+1 : end-1]
	}
	pos := end
	if pos < len(data) && data[pos] != ':' {
		pos = skipWS(data, pos)
	}
	if pos >= len(data) || data[pos] != ':' {
		return 0, errAt(data, pos, "after object key")
	}
	pos++
	if pos < len(data) && data[pos] <= ' ' {
		pos = skipWS(data, pos)
	}
	d.pos = pos
	if field >= 0 {
		return field, nil
	}
	if flags == 0 {
		for f, name := range fieldNames {
			if name != "" && string(raw) == name {
				return f, nil
			}
		}
	} else if flags&strEscaped != 0 {
		d.tmp = appendUnquoted(d.tmp[:0], raw)
		raw = d.tmp
	}
	if len(raw) > maxFoldedKey {
		return fieldUnknown, nil
	}
	var buf [maxFoldedKey + utf8.UTFMax]byte
	folded := appendFolded(buf[:0], raw)
	for f, name := range fieldFolded {
		if name != "" && string(folded) == name {
			return f, nil
		}
	}
	return fieldUnknown, nil
}

// The first eight bytes of the keys, read little-endian, for knownKey.
const (
	key8ImageID   = 0x64695f6567616d69 // image_id
	key8ImageName = 0x616e5f6567616d69 // image_na(me")
	key8OSType    = 0x22657079745f736f // os_type"
	key8OSName    = 0x22656d616e5f736f // os_name"
	key8IsPublic  = 0x696c6275705f7369 // is_publi(c")
	key8Label     = 0x616c5f6567616d69 // image_la(bel")
	key8Encrypt   = 0x6f707075735f7369 // is_suppo(rt_encrypt")
	key8RequestID = 0x5f74736575716572 // request_(id")
	key8Images    = 0x6d695f656e6f6870 // phone_im(ages")
)

// knownKey recognizes a key spelt exactly as a field's name, the common
// case, without scanning it: it returns the field and the index past the
// closing quote, or -1 for any other key (which key then scans).
func knownKey(data []byte, pos int) (field, end int) {
	const longest = len(`"is_support_encrypt"`)
	if pos+longest > len(data) {
		return -1, 0
	}
	k := data[pos : pos+longest]
	switch binary.LittleEndian.Uint64(k[1:]) {
	case key8ImageID:
		if k[9] == '"' {
			return fieldImageID, pos + 10
		}
	case key8ImageName:
		if string(k[9:12]) == `me"` {
			return fieldImageName, pos + 12
		}
	case key8OSType:
		return fieldOSType, pos + 9
	case key8OSName:
		return fieldOSName, pos + 9
	case key8IsPublic:
		if string(k[9:11]) == `c"` {
			return fieldIsPublic, pos + 11
		}
	case key8Label:
		if string(k[9:13]) == `bel"` {
			return fieldImageLabel, pos + 13
		}
	case key8Encrypt:
		if string(k[9:20]) == `rt_encrypt"` {
			return fieldSupportsEncryption, pos + 20
		}
	case key8RequestID:
		if string(k[9:12]) == `id"` {
			return fieldRequestID, pos + 12
		}
	case key8Images:
		if string(k[9:14]) == `ages"` {
			return fieldPhoneImages, pos + 14
		}
	}
	return -1, 0
}

// appendFolded appends key folded as encoding/json folds object keys:
// ASCII letters in upper case, any other rune replaced by the smallest
// rune of its case-folding orbit (invalid UTF-8 by U+FFFD).
func appendFolded(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// maxFoldedKey bounds the keys that can fold to a field name: the longest
// name (is_support_encrypt) with every letter spelt as a three-byte rune
// of its folding orbit, such as U+212A KELVIN SIGN for k.
const maxFoldedKey = 3 * len("is_support_encrypt")

// foldRune returns the smallest rune of r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
