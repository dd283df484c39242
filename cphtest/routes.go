package cphtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/wire"
)

// Operations the server serves, as Fault.Operation names them.
const (
	opListPhoneImages      = "ListPhoneImages"
	opListImages           = "ListImages"           // custom_images.go
	opDeleteImage          = "DeleteImage"          // custom_images.go
	opListImageMembers     = "ListImageMembers"     // members.go
	opAddImageMember       = "AddImageMember"       // members.go
	opUpdateImageMember    = "UpdateImageMember"    // members.go
	opDeleteImageMember    = "DeleteImageMember"    // members.go
	opKeystoneListProjects = "KeystoneListProjects" // IAM, iam.go
)

// The custom-image routes' paths.
const (
	imagesRoute  = "/v1/{project_id}/cloud-phone/images"
	imageRoute   = imagesRoute + "/{image_id}"
	membersRoute = imageRoute + "/members"
)

// routes is the server's route table: every API the fake serves is
// registered here. Each route sits behind the gateway (internal/fakegw:
// request ID, Date, recording, injected faults); Signed requires a valid
// AK/SK signature and inProject a project in the path that the signer may
// act on.
func (s *Server) routes() []fakegw.Route {
	return []fakegw.Route{
		{Operation: opListPhoneImages, Pattern: "GET /v1/{project_id}/cloud-phone/phone-images", Signed: true, Handler: s.inProject(s.listPhoneImages)},
		{Operation: opListImages, Pattern: "GET " + imagesRoute, Signed: true, Handler: s.inProject(s.listImages)},
		{Operation: opDeleteImage, Pattern: "DELETE " + imageRoute, Signed: true, Handler: s.inProject(s.deleteImage)},
		{Operation: opListImageMembers, Pattern: "GET " + membersRoute, Signed: true, Handler: s.inProject(s.listImageMembers)},
		{Operation: opAddImageMember, Pattern: "POST " + membersRoute, Signed: true, Handler: s.inProject(s.addImageMember)},
		{Operation: opUpdateImageMember, Pattern: "PUT " + membersRoute, Signed: true, Handler: s.inProject(s.updateImageMember)},
		{Operation: opDeleteImageMember, Pattern: "DELETE " + membersRoute + "/{member_id}", Signed: true, Handler: s.inProject(s.deleteImageMember)},
		{Operation: opKeystoneListProjects, Pattern: "GET /v3/projects", Signed: true, Handler: http.HandlerFunc(s.listProjects)},
	}
}

// requestID returns the n-th request ID: 32 hex digits like the service's,
// the same for the same n in every run so that outputs can be pinned.
func requestID(n uint64) string {
	sum := sha256.Sum256([]byte("cphtest request " + strconv.FormatUint(n, 10)))
	return hex.EncodeToString(sum[:16])
}

// writeError answers status with an error document carrying the request's
// ID.
func (s *Server) writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, wire.ErrorBody{Code: code, Message: message, RequestID: w.Header().Get("X-Request-Id")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// notFound answers a path or method the server does not serve.
func (s *Server) notFound(w http.ResponseWriter, _ *http.Request) {
	s.writeError(w, http.StatusNotFound, CodeAPINotFound,
		"The API does not exist or has not been published in the environment.")
}
