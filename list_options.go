package cph

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The options of the list operations. One ListOption type serves every
// list, so that a caller can build one set of options; each operation
// takes only some of them (see the table below) and refuses the others,
// with an error wrapping ErrInvalidParameter, before anything is sent.
//
//	option              ListPhoneImages  ListImages, AllImages
//	WithImageType       yes              private or share only
//	WithImageStatus     -                yes
//	WithImageName       -                yes
//	WithImageID         -                yes
//	WithCreatedBetween  -                yes
//	WithSourceProject   -                yes
//	WithLimit           -                yes
//	WithOffset          -                yes

// ListOption sets a parameter of a list operation (ListPhoneImages,
// ListImages, AllImages); a nil ListOption is ignored. An option with a
// bad value, or one the operation does not take, makes the call fail
// before anything is sent, with an error wrapping ErrInvalidParameter;
// when several options are bad, the first one's error is returned.
type ListOption func(*listParams)

// listOption is one option of the list operations, as a bit of a set.
type listOption uint16

const (
	optImageType listOption = 1 << iota
	optImageStatus
	optImageName
	optImageID
	optCreatedBetween
	optSourceProject
	optLimit
	optOffset
)

// listOptionNames names each option in errors, in its bit's order.
var listOptionNames = [...]string{
	"WithImageType", "WithImageStatus", "WithImageName", "WithImageID",
	"WithCreatedBetween", "WithSourceProject", "WithLimit", "WithOffset",
}

// The options each operation takes.
const (
	phoneImagesOptions  = optImageType
	customImagesOptions = optImageType | optImageStatus | optImageName | optImageID |
		optCreatedBetween | optSourceProject | optLimit | optOffset
)

// listParams are the parameters the options set.
type listParams struct {
	set          listOption // the options given
	imageType    ImageType
	status       ImageStatus
	name, id     string
	since, until time.Time // zero: that end open
	srcProject   string
	limit        int // 0: the service's default
	offset       int
	err          error // the first bad option's
}

// fail keeps err as the parameters' error unless an earlier option failed.
func (p *listParams) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// applyListOptions returns the parameters opts set. (Kept apart so that a
// call without options does not allocate them.)
func applyListOptions(opts []ListOption) listParams {
	var p listParams
	for _, opt := range opts {
		if opt != nil {
			opt(&p)
		}
	}
	return p
}

// check returns the error of the first bad option, else an error naming
// the first option given that the operation op does not take (accepted
// are those it takes), else nil. Each wraps ErrInvalidParameter and
// starts with "cph: <op>:".
func (p *listParams) check(op string, accepted listOption) error {
	if p.err != nil {
		return fmt.Errorf("cph: %s: %w", op, p.err)
	}
	if extra := p.set &^ accepted; extra != 0 {
		for i, name := range listOptionNames {
			if extra&(1<<i) != 0 {
				return fmt.Errorf("cph: %s: %w: %s is not an option of %s", op, ErrInvalidParameter, name, op)
			}
		}
	}
	return nil
}

// WithImageType asks only for images of type t (the image_type query).
// The empty ImageType leaves the choice to the service, which returns every
// image; an unknown type is refused before anything is sent, with an error
// wrapping ErrInvalidParameter. ListImages and AllImages take only
// ImageTypePrivate and ImageTypeShared, the values of their newest
// reference page, and refuse the others.
func WithImageType(t ImageType) ListOption {
	return func(p *listParams) {
		if t != "" && !t.IsKnown() {
			p.fail(fmt.Errorf("%w: image type %q is not one of %s", ErrInvalidParameter, string(t), joinTypes()))
			return
		}
		p.set |= optImageType
		p.imageType = t
	}
}

func joinTypes() string {
	var names []string
	for _, t := range ImageType("").Values() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// WithImageStatus asks ListImages only for images in status s (the status
// query, sent as its number). A status that is not one of
// ImageStatus.Values is refused.
func WithImageStatus(s ImageStatus) ListOption {
	return func(p *listParams) {
		if !s.IsKnown() {
			p.fail(fmt.Errorf("%w: image status %d is not one of 0 (creating), 1 (available), 2 (failed)", ErrInvalidParameter, int(s)))
			return
		}
		p.set |= optImageStatus
		p.status = s
	}
}

// maxFilterBytes is the longest name or ID a filter takes.
const maxFilterBytes = 255

// checkFilter refuses a filter value (what names it) that is empty, longer
// than maxFilterBytes, not UTF-8, or with control characters, none of which
// can name an image; white space is refused too when noSpace is set.
func checkFilter(what, v string, noSpace bool) error {
	bad := ""
	switch {
	case v == "":
		bad = "is empty; leave the option out not to filter"
	case len(v) > maxFilterBytes:
		bad = "is longer than " + strconv.Itoa(maxFilterBytes) + " bytes"
	case !utf8.ValidString(v):
		bad = "is not valid UTF-8"
	case strings.ContainsFunc(v, unicode.IsControl):
		bad = "has control characters"
	case noSpace && strings.ContainsFunc(v, unicode.IsSpace):
		bad = "has white space"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s %q %s", ErrInvalidParameter, what, v[:min(len(v), 64)], bad)
}

// WithImageName asks ListImages only for images named name (the
// image_name query). An empty name, one longer than 255 bytes, not UTF-8
// or with control characters is refused.
func WithImageName(name string) ListOption {
	return func(p *listParams) {
		if err := checkFilter("image name", name, false); err != nil {
			p.fail(err)
			return
		}
		p.set |= optImageName
		p.name = name
	}
}

// WithImageID asks ListImages only for the image with ID id (the image_id
// query). An empty ID, one longer than 255 bytes, not UTF-8, or with white
// space or control characters is refused.
func WithImageID(id string) ListOption {
	return func(p *listParams) {
		if err := checkFilter("image ID", id, true); err != nil {
			p.fail(err)
			return
		}
		p.set |= optImageID
		p.id = id
	}
}

// The range of times WithCreatedBetween takes: from the Unix epoch to the
// end of year 9999.
var (
	minQueryTime = time.Unix(0, 0)
	maxQueryTime = time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC)
)

// WithCreatedBetween asks ListImages only for images created from since
// to until (the create_since and create_until queries); a zero time leaves
// that end open, and two zero times set no filter (but the option is
// still one that ListPhoneImages refuses). The times are sent as
// epoch milliseconds: the reference pages type them as Long without
// stating a unit, and milliseconds are the unit of the times the member
// list sends (1713320018058 in its example). An inverted range (until
// before since) and a time before the Unix epoch or after year 9999 are
// refused.
func WithCreatedBetween(since, until time.Time) ListOption {
	return func(p *listParams) {
		for _, t := range [2]time.Time{since, until} {
			if !t.IsZero() && (t.Before(minQueryTime) || t.After(maxQueryTime)) {
				p.fail(fmt.Errorf("%w: creation time %s is outside 1970..9999", ErrInvalidParameter, t.UTC().Format(time.RFC3339)))
				return
			}
		}
		if !since.IsZero() && !until.IsZero() && until.Before(since) {
			p.fail(fmt.Errorf("%w: creation time range is inverted: until %s is before since %s", ErrInvalidParameter,
				until.UTC().Format(time.RFC3339Nano), since.UTC().Format(time.RFC3339Nano)))
			return
		}
		p.set |= optCreatedBetween
		p.since, p.until = since, until
	}
}

// WithSourceProject asks ListImages only for the images shared by the
// project projectID (the src_project_id query). An ID that is not a
// project ID (1 to 64 letters, digits, '-' or '_') is refused.
func WithSourceProject(projectID string) ListOption {
	return func(p *listParams) {
		if !isProjectID(projectID) {
			p.fail(fmt.Errorf("%w: source project ID %q is not a project ID (1 to 64 letters, digits, '-' or '_')",
				ErrInvalidParameter, projectID[:min(len(projectID), 64)]))
			return
		}
		p.set |= optSourceProject
		p.srcProject = projectID
	}
}

// maxPageSize is the largest page ListImages asks for, and its default.
const maxPageSize = 100

// WithLimit sets how many images a page of ListImages holds (the limit
// query), 1 to 100; the service's default is 100. AllImages asks for pages
// of that size. A value outside 1..100 is refused.
func WithLimit(n int) ListOption {
	return func(p *listParams) {
		if n < 1 || n > maxPageSize {
			p.fail(fmt.Errorf("%w: limit %d is outside 1..%d", ErrInvalidParameter, n, maxPageSize))
			return
		}
		p.set |= optLimit
		p.limit = n
	}
}

// maxOffset is the largest offset the API's Integer takes.
const maxOffset = math.MaxInt32

// WithOffset sets how many images ListImages skips before its page (the
// offset query); AllImages starts there. A negative value, or one above
// 2147483647 (the largest the API's Integer takes), is refused.
func WithOffset(n int) ListOption {
	return func(p *listParams) {
		if n < 0 || n > maxOffset {
			p.fail(fmt.Errorf("%w: offset %d is outside 0..%d", ErrInvalidParameter, n, maxOffset))
			return
		}
		p.set |= optOffset
		p.offset = n
	}
}

// customImagesQuery returns the query of ListImages for p, with the page
// at offset.
func (p *listParams) customImagesQuery(offset int) url.Values {
	q := url.Values{}
	if p.imageType != "" {
		q.Set("image_type", string(p.imageType))
	}
	if p.set&optImageStatus != 0 {
		q.Set("status", strconv.Itoa(int(p.status)))
	}
	if p.name != "" {
		q.Set("image_name", p.name)
	}
	if p.id != "" {
		q.Set("image_id", p.id)
	}
	if !p.since.IsZero() {
		q.Set("create_since", strconv.FormatInt(p.since.UnixMilli(), 10))
	}
	if !p.until.IsZero() {
		q.Set("create_until", strconv.FormatInt(p.until.UnixMilli(), 10))
	}
	if p.srcProject != "" {
		q.Set("src_project_id", p.srcProject)
	}
	if p.limit != 0 {
		q.Set("limit", strconv.Itoa(p.limit))
	}
	if offset != 0 || p.set&optOffset != 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	return q
}
