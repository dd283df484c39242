package cph

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/cph-go/cph/internal/jsonscan"
)

// key reads the key at d.pos, its colon and the white space after it, and
// returns the field it names: the same field encoding/json picks, exact
// name first, else the name under case folding.
func (d *docDecoder) key() (int, error) {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '"' {
		return 0, data.ErrAt(d.pos, "looking for beginning of object key string")
	}
	field, end := knownKey(data, d.pos)
	var raw []byte
	var flags jsonscan.Flags
	if field < 0 {
		var err error
		if end, flags, err = data.ScanString(d.pos); err != nil {
			return 0, err
		}
		raw = data[d.pos+1 : end-1]
	}
	pos := end
	if pos < len(data) && data[pos] != ':' {
		pos = data.SkipWS(pos)
	}
	if pos >= len(data) || data[pos] != ':' {
		return 0, data.ErrAt(pos, "after object key")
	}
	pos++
	if pos < len(data) && data[pos] <= ' ' {
		pos = data.SkipWS(pos)
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
	} else if flags&jsonscan.Escaped != 0 {
		d.tmp = jsonscan.AppendUnquoted(d.tmp[:0], raw)
		raw = d.tmp
	}
	if len(raw) > maxFoldedKey {
		return fieldUnknown, nil
	}
	var buf [maxFoldedKey + utf8.UTFMax]byte
	folded := jsonscan.AppendFolded(buf[:0], raw)
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

// maxFoldedKey bounds the keys that can fold to a field name: the longest
// name (is_support_encrypt) with every letter spelt as a three-byte rune
// of its folding orbit, such as U+212A KELVIN SIGN for k.
const maxFoldedKey = 3 * len("is_support_encrypt")
