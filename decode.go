package cph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/cph-go/cph/internal/jsonscan"
	"github.com/cph-go/cph/internal/wire"
)

// listPhoneImagesBody is the documented 200 body of ListPhoneImages, with
// this package's images: what encoding/json decodes it into (the fallback
// decodeListPhoneImagesStd, and the tests' reference).
type listPhoneImagesBody = wire.ListPhoneImages[PhoneImage]

// decodeListPhoneImages decodes a 200 body of ListPhoneImages. Unknown
// fields are ignored and unknown enum values kept; a body that is not the
// documented document is an error wrapping ErrInvalidResponse.
//
// It gives exactly what encoding/json.Unmarshal into listPhoneImagesBody
// gives, and fails exactly when Unmarshal fails (the fuzz tests hold it to
// that), in one pass over body without reflection. The output does not
// alias body, so body may go back to its pool afterwards.
func decodeListPhoneImages(body []byte) (*ListPhoneImagesOutput, error) {
	if i := jsonscan.Scanner(body).SkipWS(0); i == len(body) || body[i] != '{' {
		return nil, &decodeError{err: fmt.Errorf("%w: body is not a JSON object", ErrInvalidResponse)}
	}
	d := decoderPool.Get().(*docDecoder)
	out, err := d.decode(body)
	d.reset()
	decoderPool.Put(d)
	if errors.Is(err, errFallback) {
		out, err = decodeListPhoneImagesStd(body)
	}
	if err != nil {
		requestID := ""
		var de *decodeError
		if errors.As(err, &de) {
			requestID, err = de.requestID, de.err
		}
		return nil, &decodeError{requestID: requestID, err: fmt.Errorf("%w: decode body: %w", ErrInvalidResponse, err)}
	}
	return out, nil
}

// decodeError is a body that could not be decoded, with the request_id
// that decoding read before it failed, if any. Its message does not quote
// the body: the caller, which knows the secrets to redact, does.
type decodeError struct {
	requestID string
	err       error
}

func (e *decodeError) Error() string { return e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// decodeListPhoneImagesStd decodes body with encoding/json. The fast
// decoder hands over to it for a document that repeats a non-empty
// phone_images array, where encoding/json's reuse of the first array's
// elements is the behaviour to match.
func decodeListPhoneImagesStd(body []byte) (*ListPhoneImagesOutput, error) {
	var b listPhoneImagesBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, &decodeError{requestID: b.RequestID, err: err}
	}
	if b.PhoneImages == nil {
		b.PhoneImages = []PhoneImage{}
	}
	return &ListPhoneImagesOutput{Images: b.PhoneImages, RequestID: b.RequestID}, nil
}

// errFallback makes decodeListPhoneImages decode with encoding/json.
var errFallback = errors.New("fall back to encoding/json")

// docDecoder decodes one ListPhoneImages body. Decoders are pooled with
// their scratch space; reset drops every reference into a decoded document.
type docDecoder struct {
	data   jsonscan.Scanner
	pos    int
	images []PhoneImage           // the output's images
	out    *ListPhoneImagesOutput // the output, when allocated with its images
	tmp    []byte                 // scratch for unquoting
	stack  []byte                 // scratch for SkipValue
	idLen  int                    // the length of the last plain image ID
	strs   stringTable
}

var decoderPool = sync.Pool{New: func() any { return new(docDecoder) }}

func (d *docDecoder) reset() {
	d.images, d.out = nil, nil
	d.data = nil
	d.idLen = 0
	d.strs.reset()
}

// The fields of the document, keys as the API spells them.
const (
	fieldUnknown = iota
	fieldRequestID
	fieldPhoneImages
	fieldImageID
	fieldImageName
	fieldOSType
	fieldOSName
	fieldIsPublic
	fieldImageLabel
	fieldSupportsEncryption
)

// fieldNames holds each field's key; fieldFolded the same, folded as
// encoding/json folds keys to match them case-insensitively.
var (
	fieldNames = [...]string{
		fieldRequestID:          "request_id",
		fieldPhoneImages:        "phone_images",
		fieldImageID:            "image_id",
		fieldImageName:          "image_name",
		fieldOSType:             "os_type",
		fieldOSName:             "os_name",
		fieldIsPublic:           "is_public",
		fieldImageLabel:         "image_label",
		fieldSupportsEncryption: "is_support_encrypt",
	}
	fieldFolded = func() (f [len(fieldNames)]string) {
		for i, name := range fieldNames {
			f[i] = string(jsonscan.AppendFolded(nil, []byte(name)))
		}
		return f
	}()
)

// decode decodes data; on success the output holds no reference to data
// or to d's scratch space.
func (d *docDecoder) decode(data []byte) (*ListPhoneImagesOutput, error) {
	d.data = jsonscan.Scanner(data)
	d.pos = d.data.SkipWS(0)
	var (
		requestID string
		hasImages bool // phone_images was an array (not absent, not null)
	)
	more, err := d.openObject()
	for ; more && err == nil; more, err = d.nextMember('}') {
		var field int
		if field, err = d.key(); err != nil {
			break
		}
		switch field {
		case fieldRequestID:
			var b []byte
			var ok bool
			if b, ok, err = d.stringValue(field); ok {
				requestID = d.strs.Copy(b, d.pos, len(d.data))
			}
		case fieldPhoneImages:
			err = d.imagesField(&hasImages)
		default:
			err = d.skip(1)
		}
		if err != nil {
			break
		}
	}
	if err != nil {
		return nil, &decodeError{requestID: requestID, err: err}
	}
	if d.pos = d.data.SkipWS(d.pos); d.pos < len(d.data) {
		return nil, &decodeError{requestID: requestID, err: d.data.ErrAt(d.pos, "after top-level value")}
	}
	images := d.images
	if images == nil {
		images = []PhoneImage{}
	}
	out := d.out
	if out == nil {
		out = new(ListPhoneImagesOutput)
	}
	out.Images, out.RequestID = images, requestID
	return out, nil
}

// smallList is the longest list whose images are allocated together with
// the output, in one smallOutput.
const smallList = 4

// smallOutput is an output and the room for a short list, one allocation.
type smallOutput struct {
	out    ListPhoneImagesOutput
	images [smallList]PhoneImage
}

// openObject reads the '{' at d.pos and reports whether a member follows
// (else it read the '}' of an empty object too).
func (d *docDecoder) openObject() (bool, error) {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '{' {
		return false, data.ErrAt(d.pos, "looking for beginning of object")
	}
	d.pos = data.SkipWS(d.pos + 1)
	if d.pos < len(data) && data[d.pos] == '}' {
		d.pos++
		return false, nil
	}
	return true, nil
}

// nextMember reads what follows a member or element: ',' before another
// (true), or closer (false).
func (d *docDecoder) nextMember(closer byte) (bool, error) {
	data := d.data
	pos := d.pos
	if pos < len(data) && data[pos] <= ' ' {
		pos = data.SkipWS(pos)
	}
	if pos < len(data) {
		switch data[pos] {
		case ',':
			pos++
			if pos < len(data) && data[pos] <= ' ' {
				pos = data.SkipWS(pos)
			}
			d.pos = pos
			return true, nil
		case closer:
			d.pos = pos + 1
			return false, nil
		}
	}
	if closer == '}' {
		return false, data.ErrAt(pos, "after object key:value pair")
	}
	return false, data.ErrAt(pos, "after array element")
}

// skip validates and skips the value at d.pos, inside depth containers.
func (d *docDecoder) skip(depth int) error {
	pos, stack, err := d.data.SkipValue(d.pos, depth, d.stack)
	d.pos, d.stack = pos, stack
	return err
}

// typeError reports a value at d.pos that the field cannot hold.
// encoding/json would also check the rest of the document first; any
// error will do here, since the call fails either way.
func (d *docDecoder) typeError(field int) error {
	kind := "value"
	if d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c == '"':
			kind = "string"
		case c == '{':
			kind = "object"
		case c == '[':
			kind = "array"
		case c == 't' || c == 'f':
			kind = "bool"
		case c == '-' || '0' <= c && c <= '9':
			kind = "number"
		default:
			return d.data.ErrAt(d.pos, "looking for beginning of value")
		}
	}
	return &jsonscan.SyntaxError{Msg: fmt.Sprintf("cannot decode a JSON %s into field %s", kind, fieldNames[field]), Offset: d.pos}
}

// null reports whether the value at d.pos is null, and skips it if so.
func (d *docDecoder) null() (bool, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != 'n' {
		return false, nil
	}
	pos, err := d.data.ScanLiteral(d.pos, "null")
	d.pos = pos
	return err == nil, err
}

// stringValue reads the string at d.pos and returns its value's bytes:
// the body's own bytes, or unquoted into d.tmp. ok is false for null,
// which leaves a field as it was.
func (d *docDecoder) stringValue(field int) (b []byte, ok bool, err error) {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '"' {
		if isNull, err := d.null(); isNull || err != nil {
			return nil, false, err
		}
		return nil, false, d.typeError(field)
	}
	end, flags, err := data.ScanString(d.pos)
	if err != nil {
		return nil, false, err
	}
	b = data[d.pos+1 : end-1]
	d.pos = end
	if flags != 0 && flags.NeedsUnquote(b) {
		d.tmp = jsonscan.AppendUnquoted(d.tmp[:0], b)
		b = d.tmp
	}
	return b, true, nil
}

// imagesField decodes the phone_images value at d.pos into d.images.
func (d *docDecoder) imagesField(hasImages *bool) error {
	data := d.data
	if d.pos >= len(data) || data[d.pos] != '[' {
		if isNull, err := d.null(); isNull || err != nil {
			// null makes the slice nil.
			*hasImages = false
			d.images = nil
			return err
		}
		return d.typeError(fieldPhoneImages)
	}
	if *hasImages && len(d.images) > 0 {
		// encoding/json decodes a second array into the first one's
		// elements in place: let it.
		return errFallback
	}
	*hasImages = true
	if d.images == nil {
		if n := d.estimateImages(); n > smallList || d.out != nil {
			d.images = make([]PhoneImage, 0, n)
		} else {
			small := new(smallOutput)
			d.out, d.images = &small.out, small.images[:0]
		}
	}
	d.pos = data.SkipWS(d.pos + 1)
	if d.pos < len(data) && data[d.pos] == ']' {
		d.pos++
		return nil
	}
	more := true
	var err error
	for ; more && err == nil; more, err = d.nextMember(']') {
		if len(d.images) < cap(d.images) {
			// Past the length of a new slice: already the zero image.
			d.images = d.images[:len(d.images)+1]
		} else {
			d.images = append(d.images, PhoneImage{})
		}
		if d.pos < len(data) && data[d.pos] == '{' {
			err = d.image(&d.images[len(d.images)-1])
		} else if isNull, nerr := d.null(); nerr != nil {
			err = nerr
		} else if !isNull {
			err = d.typeError(fieldPhoneImages)
		}
		if err != nil {
			break
		}
	}
	return err
}

// estimateImages returns how many images the array at d.pos probably
// holds, to size the output once: one per '{', bounded so that a body of
// tiny or fake objects cannot make it allocate much more than the body's
// size. A wrong guess costs time or memory, never correctness.
func (d *docDecoder) estimateImages() int {
	rest := d.data[d.pos:]
	return min(bytes.Count(rest, []byte{'{'}), len(rest)/minImageBytes)
}

// minImageBytes is the size below which an image is not a real one: the ID
// alone, "image_id":"<32 hex digits>", takes 45 bytes.
const minImageBytes = 48
