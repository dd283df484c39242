package cphtest

import (
	"cmp"
	"net/http"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/wire"
)

// DefaultRegion is the region a server's project is named after, unless
// WithRegion says otherwise: IAM names a region's project after the region.
const DefaultRegion = "cn-north-4"

// demoDomainID is the account (domain) ID the server's project belongs to.
const demoDomainID = "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d"

// WithRegion sets the region the server's project is named after, which
// GET /v3/projects?name={region} finds. As with cph.WithRegion, a later
// call replaces an earlier one, and "" means none was given, so the
// default applies (DefaultRegion).
func WithRegion(region string) Option {
	return func(c *config) { c.region = cmp.Or(region, DefaultRegion) }
}

// Region returns the region the server's project is named after.
func (s *Server) Region() string { return s.region }

// DiscoveryOptions returns options that point a cph.Client at the server
// without a project ID: its region, its URL as both the CPH and the IAM
// endpoint, and its credentials. The client's first call then discovers
// the project ID from the server's GET /v3/projects.
func (s *Server) DiscoveryOptions() []cph.Option {
	return []cph.Option{
		cph.WithRegion(s.region),
		cph.WithEndpoint(s.URL),
		cph.WithIAMEndpoint(s.URL),
		cph.WithCredentials(s.creds),
	}
}

// listProjects serves IAM's GET /v3/projects: the projects the request's
// signer may act on (the server's own, and those AddProject added with
// the same access key), each named after the server's region, or none
// when the name query asks for another name. Like IAM, it is a global
// service: it takes no project ID.
func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host + "/v3/projects"
	projects := []wire.Project{}
	if name := r.URL.Query().Get("name"); name == "" || name == s.region {
		for _, id := range s.projectsOf(fakegw.AccessKey(r)) {
			projects = append(projects, wire.Project{
				ProjectRef: wire.ProjectRef{ID: id, Name: s.region},
				DomainID:   demoDomainID,
				ParentID:   demoDomainID,
				Enabled:    true,
				Links:      wire.Links{Self: base + "/" + id},
			})
		}
	}
	writeJSON(w, http.StatusOK, wire.ProjectsPage{
		Projects: wire.Projects[wire.Project]{Projects: &projects},
		Links:    wire.Links{Self: base},
	})
}
