package cphtest

import (
	"cmp"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/fakegw"
)

// Fixed demo values the server uses unless options say otherwise. They are
// not secrets: anyone can sign requests to a cphtest server with them.
const (
	// DefaultProjectID is the project ID a server serves by default.
	DefaultProjectID = "0123456789abcdef0123456789abcdef"
	// DefaultAccessKey is the access key a server accepts by default.
	DefaultAccessKey = "CPHTESTDEMOACCESSKEY"
	// DefaultSecretKey is the secret key of DefaultAccessKey.
	DefaultSecretKey = "cphtest-demo-secret-key-not-a-real-secret"
)

// Error codes the server answers with; the package documentation says when,
// and gives their sources.
const (
	// CodeAuthFailed (401) refuses a bad signature, an unknown access key,
	// a missing or wrong security token, or an expired X-Sdk-Date.
	CodeAuthFailed = "APIGW.0301"
	// CodeProjectUnavailable (403) refuses a project the server does not
	// serve or the signing keys may not act on.
	CodeProjectUnavailable = "APIGW.0310"
	// CodeAPINotFound (404) answers an unknown path or method.
	CodeAPINotFound = "APIGW.0101"
	// CodeInvalidImageType (400) refuses an unknown image_type.
	CodeInvalidImageType = "CPS.0100"

	// CodeInvalidPaging (400) refuses a ListImages offset below 0 or a
	// limit outside 1..100, or one that is not a number.
	CodeInvalidPaging = "CPS.0002"
	// CodeInvalidStatus (400) refuses a ListImages status other than 0, 1
	// or 2, and an UpdateImageMember status other than "accepted" or
	// "rejected".
	CodeInvalidStatus = "CPS.0010"
	// CodeImageNotFound (404) answers a request naming a custom image the
	// project neither owns nor has been offered.
	CodeImageNotFound = "CPS.0030"
	// CodeNoPermission (403) refuses a request of a project an image is
	// shared with for what only its owner may do: delete it, list, add or
	// remove its members.
	CodeNoPermission = "CPS.0001"

	// CodeInvalidParameter (400, cphtest's own) refuses a request body
	// that is not a JSON object of the operation's shape, an
	// AddImageMember member that is empty or the owner's own project,
	// and a create_since or create_until that is not an integer.
	CodeInvalidParameter = "CPHTEST.0001"
	// CodeMemberExists (409, cphtest's own) refuses an AddImageMember of
	// a project the image is already shared with, whatever its answer.
	CodeMemberExists = "CPHTEST.0002"
	// CodeMemberLimit (400, cphtest's own) refuses an AddImageMember of
	// an 11th project (MaxImageMembers).
	CodeMemberLimit = "CPHTEST.0003"
	// CodeMemberNotFound (404, cphtest's own) answers a DeleteImageMember
	// of a project the image is not shared with.
	CodeMemberNotFound = "CPHTEST.0004"
)

// MaxClockSkew is how far a request's X-Sdk-Date may be from the server's
// clock, either way, before the signature counts as expired.
const MaxClockSkew = 15 * time.Minute

// Option configures a Server.
type Option func(*config)

type config struct {
	projectID   string
	region      string
	creds       cph.Credentials
	now         func() time.Time
	images      []cph.PhoneImage
	imagesSet   bool
	shared      []cph.PhoneImage
	custom      []cph.Image
	maxRequests int // how many requests the log keeps
}

// WithImages seeds the server with images instead of the documented
// sample; with no images it starts empty.
func WithImages(images ...cph.PhoneImage) Option {
	return func(c *config) {
		c.images = slices.Clone(images)
		c.imagesSet = true
	}
}

// WithSharedImages seeds images that other accounts share with the
// project: they are listed for image_type "share" and "all" only.
func WithSharedImages(images ...cph.PhoneImage) Option {
	return func(c *config) { c.shared = slices.Clone(images) }
}

// WithProjectID sets the project ID the server serves, as
// cph.WithProjectID sets the one a client uses: a later call replaces an
// earlier one, and "" means none was given, so the default applies
// (DefaultProjectID, where a client falls back to its own sources).
func WithProjectID(id string) Option {
	return func(c *config) { c.projectID = cmp.Or(id, DefaultProjectID) }
}

// WithCredentials sets the credentials the server accepts, as
// cph.WithCredentials sets the ones a client signs with: they replace the
// earlier ones whole (no field is kept from the defaults or an earlier
// call), and the zero Credentials mean none were given, so the default
// AK/SK apply
// (DefaultAccessKey and DefaultSecretKey). Credentials cph would refuse,
// such as an access key with no secret key, make
// cph.NewClient(srv.ClientOptions()...) refuse them the same way. With a
// security token, requests must carry that token in X-Security-Token.
func WithCredentials(creds cph.Credentials) Option {
	return func(c *config) {
		if creds == (cph.Credentials{}) {
			creds = defaultCredentials
		}
		c.creds = creds
	}
}

// defaultCredentials are the credentials a server accepts unless
// WithCredentials says otherwise.
var defaultCredentials = cph.Credentials{AccessKey: DefaultAccessKey, SecretKey: DefaultSecretKey}

// WithClock sets the server's own clock, which it checks X-Sdk-Date
// against and stamps answers and recorded requests with; nil means
// time.Now, the default. The server may call now from several goroutines
// at once.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			now = time.Now
		}
		c.now = now
	}
}

// Server is a fake CPH endpoint listening on the loopback interface.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:40123",
	// to use as the client's endpoint.
	URL string

	gw        *fakegw.Server // the gateway: routing, signatures, faults, request log
	projectID string         // the default project's
	region    string
	creds     cph.Credentials // the default project's
	now       func() time.Time

	mu           sync.Mutex
	images       []cph.PhoneImage // the default project's phone images
	shared       []cph.PhoneImage // phone images shared with the default project
	projects     map[string]cph.Credentials
	projectOrder []string      // the projects, in the order they were added
	custom       []cph.Image   // every project's own custom images, in seed order
	members      []*membership // every share of a custom image, oldest first
}

// NewServer starts a server on 127.0.0.1 and returns it. Close it when
// done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		projectID:   DefaultProjectID,
		region:      DefaultRegion,
		creds:       defaultCredentials,
		now:         time.Now,
		maxRequests: maxRequests,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if !cfg.imagesSet {
		cfg.images = DocumentedImages()
	}
	s := &Server{
		projectID:    cfg.projectID,
		region:       cfg.region,
		creds:        cfg.creds,
		now:          cfg.now,
		images:       cfg.images,
		shared:       cfg.shared,
		projects:     map[string]cph.Credentials{cfg.projectID: cfg.creds},
		projectOrder: []string{cfg.projectID},
	}
	s.custom = s.ownImages(cfg.custom)
	s.gw = fakegw.New(fakegw.Config{
		Routes:      s.routes(),
		Default:     http.HandlerFunc(s.notFound),
		Credentials: []fakegw.Credentials{fakegw.Credentials(cfg.creds)},
		Now:         cfg.now,
		RequestID:   requestID,
		MaxRequests: cfg.maxRequests,
	})
	s.URL = s.gw.URL
	return s
}

// Close shuts the server down, waiting for requests in flight. Requests
// held by a fault (Hang, or a Delay not yet over) are let go at once,
// without an answer: their connections are closed. Close may be called
// more than once.
func (s *Server) Close() { s.gw.Close() }

// ProjectID returns the ID of the server's default project: the one
// NewServer serves (AddProject adds others).
func (s *Server) ProjectID() string { return s.projectID }

// Credentials returns the credentials of the default project (AddProject
// adds others).
func (s *Server) Credentials() cph.Credentials { return s.creds }

// ClientOptions returns the options that point a cph.Client at the server
// as its default project: its endpoint, project ID and credentials
// (ClientOptionsFor gives those of another project).
func (s *Server) ClientOptions() []cph.Option {
	return []cph.Option{
		cph.WithEndpoint(s.URL),
		cph.WithProjectID(s.projectID),
		cph.WithCredentials(s.creds),
	}
}

// SetImages replaces the project's own images (not the shared ones).
func (s *Server) SetImages(images ...cph.PhoneImage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.images = slices.Clone(images)
}

// SetSharedImages replaces the images shared with the project.
func (s *Server) SetSharedImages(images ...cph.PhoneImage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shared = slices.Clone(images)
}

// Images returns the phone images the server lists for image_type "all"
// in the default project, as seeded: the project's own, then the shared
// ones. The custom images shared with it that it accepted, which
// ListPhoneImages lists after them, are not in it (see CustomImages).
func (s *Server) Images() []cph.PhoneImage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Concat(s.images, s.shared)
}

// DocumentedImages returns the three images of the documented
// ListPhoneImages sample, which a server lists unless WithImages says
// otherwise.
func DocumentedImages() []cph.PhoneImage {
	return []cph.PhoneImage{
		{ID: "20032420200401a60b0003a99684b8ea", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1",
			Visibility: cph.VisibilityPublic, Label: cph.LabelCloudGame},
		{ID: "20032120200330a20b000eae5b8c01e6", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.1.1",
			Visibility: cph.VisibilityPublic, Label: cph.LabelCloudPhone},
		{ID: "be4d231e44d2a4ccf612660a473fe1e3", Name: "AOSP", OSType: "aosp", OSName: "AOSP7.0.0",
			Visibility: cph.VisibilityPublic, Label: cph.LabelQemuPhone},
	}
}
