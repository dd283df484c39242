package cph

import (
	"encoding/binary"
	"fmt"

	"github.com/cph-go/cph/internal/jsonscan"
)

// image decodes the image object at d.pos into img (depth 3: the body,
// phone_images, the image). It keeps its place in a local variable and
// decodes the usual member itself, with one switch: compact, a key spelt
// as its field's name, a value of the field's type. Anything else goes
// through key and imageValue.
func (d *docDecoder) image(img *PhoneImage) error {
	data := d.data
	pos := d.pos + 1 // past '{'
	if pos < len(data) && data[pos] <= ' ' {
		pos = data.SkipWS(pos)
	}
	if pos < len(data) && data[pos] == '}' {
		d.pos = pos + 1
		return nil
	}
	for {
		next := -1 // past the member, when decoded here
		var err error
		if pos+24 <= len(data) && data[pos] == '"' {
			// data[pos] is the key's opening quote; m its next 23 bytes.
			m := data[pos+1 : pos+24]
			// An interned field's value: its field, where it goes and
			// where its literal starts.
			field, dst, at := 0, (*string)(nil), 0
			switch binary.LittleEndian.Uint64(m) {
			case key8ImageID:
				if string(m[8:11]) == `":"` {
					next, err = d.imageID(img, pos+11)
				}
			case key8ImageName:
				if string(m[8:13]) == `me":"` {
					field, dst, at = fieldImageName, &img.Name, pos+13
				}
			case key8OSType:
				if string(m[8:10]) == `:"` {
					field, dst, at = fieldOSType, &img.OSType, pos+10
				}
			case key8OSName:
				if string(m[8:10]) == `:"` {
					field, dst, at = fieldOSName, &img.OSName, pos+10
				}
			case key8Label:
				if string(m[8:14]) == `bel":"` {
					field, dst, at = fieldImageLabel, (*string)(&img.Label), pos+14
				}
			case key8IsPublic:
				// One digit, then a delimiter.
				if string(m[8:11]) == `c":` && '0' <= m[11] && m[11] <= '9' && !jsonscan.ContinuesNumber(m[12]) {
					img.Visibility = Visibility(m[11] - '0')
					next = pos + 13
				}
			case key8Encrypt:
				if string(m[8:20]) == `rt_encrypt":` {
					if string(m[20:23]) == "tru" && pos+25 <= len(data) && data[pos+24] == 'e' {
						img.SupportsEncryption, next = true, pos+25
					} else if pos+26 <= len(data) && string(data[pos+21:pos+26]) == "false" {
						img.SupportsEncryption, next = false, pos+26
					}
				}
			}
			if dst != nil {
				// A value seen before costs one call; another, two.
				if *dst, next = d.strs.match(field-fieldImageName, data, at); next < 0 {
					*dst, next, err = d.internedAt(field, at)
				}
			}
			if err != nil {
				return err
			}
		}
		if next >= 0 {
			pos = next
		} else {
			d.pos = pos
			field, err := d.key()
			if err != nil {
				return err
			}
			if err := d.imageValue(img, field); err != nil {
				return err
			}
			pos = d.pos
		}
		// A ',' and the next member, or the '}'.
		if pos < len(data) && data[pos] == ',' {
			pos++
			if pos < len(data) && data[pos] <= ' ' {
				pos = data.SkipWS(pos)
			}
			continue
		}
		if pos < len(data) && data[pos] == '}' {
			d.pos = pos + 1
			return nil
		}
		d.pos = pos
		more, err := d.nextMember('}')
		if err != nil || !more {
			return err
		}
		pos = d.pos
	}
}

// imageID decodes the image ID whose string literal starts at data[pos]
// into img, and returns the index past the literal.
func (d *docDecoder) imageID(img *PhoneImage, pos int) (int, error) {
	data := d.data
	// IDs have one length: try the last one's first.
	if n := d.idLen; n > 0 && data.PlainASCII(pos, n) {
		end := pos + n + 2
		img.ID = d.strs.Copy(data[pos+1:end-1], end, len(data))
		return end, nil
	}
	end, flags, err := data.ScanString(pos)
	if err != nil {
		return 0, err
	}
	b := data[pos+1 : end-1]
	if flags != 0 && flags.NeedsUnquote(b) {
		d.tmp = jsonscan.AppendUnquoted(d.tmp[:0], b)
		b = d.tmp
	}
	img.ID = d.strs.Copy(b, end, len(d.data))
	if flags == 0 {
		d.idLen = len(b)
	}
	return end, nil
}

// internedAt decodes the string literal at data[pos] of an interned field,
// one that d.strs.match did not find, and returns its value and the index
// past the literal.
func (d *docDecoder) internedAt(field, pos int) (string, int, error) {
	data := d.data
	end, flags, err := data.ScanString(pos)
	if err != nil {
		return "", 0, err
	}
	b := data[pos+1 : end-1]
	if flags != 0 && flags.NeedsUnquote(b) {
		d.tmp = jsonscan.AppendUnquoted(d.tmp[:0], b)
		return d.interned(field, d.tmp, end), end, nil
	}
	// A plain literal: match finds it next time, if remember keeps it.
	// Most plain values that match missed are new (such as the unique
	// names of private images): copied straight, not looked up again.
	var s string
	switch field {
	case fieldImageLabel, fieldOSType:
		s = d.interned(field, b, end)
	default:
		s = d.strs.Copy(b, end, len(data))
	}
	d.strs.remember(field-fieldImageName, data, pos, s)
	return s, end, nil
}

// setString stores b, the value of a string field, in img: the image ID
// copied, the others interned.
func (d *docDecoder) setString(img *PhoneImage, field int, b []byte, pos int) {
	if field == fieldImageID {
		img.ID = d.strs.Copy(b, pos, len(d.data))
		return
	}
	setInterned(img, field, d.interned(field, b, pos))
}

// interned returns b, the value of an interned field, as a string: a
// constant for the documented labels and OS type, else from the table.
func (d *docDecoder) interned(field int, b []byte, pos int) string {
	switch field {
	case fieldImageLabel:
		return string(d.label(b, pos))
	case fieldOSType:
		if string(b) == "aosp" {
			return "aosp"
		}
	}
	return d.strs.Intern(b, pos, len(d.data))
}

// setInterned stores s in img's field.
func setInterned(img *PhoneImage, field int, s string) {
	switch field {
	case fieldImageName:
		img.Name = s
	case fieldOSType:
		img.OSType = s
	case fieldOSName:
		img.OSName = s
	case fieldImageLabel:
		img.Label = ImageLabel(s)
	}
}

// imageValue decodes the value at d.pos of an image's field, any JSON
// value: null leaves the field as it was, a value of another type is an
// error, an unknown field's value is skipped.
func (d *docDecoder) imageValue(img *PhoneImage, field int) error {
	switch field {
	case fieldImageID, fieldImageName, fieldOSType, fieldOSName, fieldImageLabel:
		b, ok, err := d.stringValue(field)
		if ok {
			d.setString(img, field, b, d.pos)
		}
		return err
	case fieldIsPublic:
		return d.visibility(&img.Visibility)
	case fieldSupportsEncryption:
		return d.boolField(&img.SupportsEncryption, field)
	}
	return d.skip(3)
}

// label returns b as an ImageLabel: a constant for the documented labels.
func (d *docDecoder) label(b []byte, pos int) ImageLabel {
	switch string(b) {
	case "cloud_phone":
		return LabelCloudPhone
	case "cloud_phone_1620":
		return LabelCloudPhone1620
	case "cloud_game":
		return LabelCloudGame
	case "cloud_game_1620":
		return LabelCloudGame1620
	case "qemu_phone":
		return LabelQemuPhone
	}
	return ImageLabel(d.strs.Intern(b, pos, len(d.data)))
}

// visibility decodes the number at d.pos into *v. As with encoding/json
// into an int, only an integer in range will do: 1.0 and 1e0 are errors,
// -0 is 0.
func (d *docDecoder) visibility(v *Visibility) error {
	if isNull, err := d.null(); isNull || err != nil {
		return err
	}
	data := d.data
	// The usual value: one digit, then a delimiter.
	if d.pos+1 < len(data) && '0' <= data[d.pos] && data[d.pos] <= '9' && !jsonscan.ContinuesNumber(data[d.pos+1]) {
		*v = Visibility(data[d.pos] - '0')
		d.pos++
		return nil
	}
	if d.pos >= len(data) || data[d.pos] != '-' && (data[d.pos] < '0' || data[d.pos] > '9') {
		return d.typeError(fieldIsPublic)
	}
	end, integer, err := data.ScanNumber(d.pos)
	if err != nil {
		return err
	}
	if !integer {
		return d.typeError(fieldIsPublic)
	}
	n, ok := jsonscan.ParseInt(data[d.pos:end])
	if !ok {
		return &jsonscan.SyntaxError{Msg: fmt.Sprintf("number %s out of range for field is_public", data[d.pos:end]), Offset: d.pos}
	}
	d.pos = end
	*v = Visibility(n)
	return nil
}

// boolField decodes true, false or null at d.pos into *b.
func (d *docDecoder) boolField(b *bool, field int) error {
	var err error
	switch {
	case d.pos < len(d.data) && d.data[d.pos] == 't':
		d.pos, err = d.data.ScanLiteral(d.pos, "true")
		*b = true
	case d.pos < len(d.data) && d.data[d.pos] == 'f':
		d.pos, err = d.data.ScanLiteral(d.pos, "false")
		*b = false
	case d.pos < len(d.data) && d.data[d.pos] == 'n':
		d.pos, err = d.data.ScanLiteral(d.pos, "null")
	default:
		return d.typeError(field)
	}
	return err
}
