package cphtest

import (
	"net/http"
	"slices"

	"github.com/cph-go/cph"
	"github.com/cph-go/cph/internal/fakegw"
)

// AddProject makes the server serve another project, projectID, whose
// requests are signed with creds: a second account to share custom images
// with, say. The project NewServer serves stays the default (ProjectID,
// Credentials, ClientOptions); ClientOptionsFor gives a client of the
// added one. A request may act on a project only when it is signed with
// that project's access key; signed with another project's, it is
// refused as a request for a project the signer cannot use (403
// APIGW.0310), as is one for a project the server does not serve.
//
// As with WithCredentials, the zero creds mean the default credentials:
// the project then belongs to the default project's account, and the
// default keys may act on both. Credentials are told apart by their
// access key: creds whose AccessKey another project uses with another
// secret key or token replace that key's secret for both projects.
// Adding a project again replaces its credentials; AddProject("", ...)
// does nothing. Like the server's other setters, AddProject reports no
// errors and does not panic.
func (s *Server) AddProject(projectID string, creds cph.Credentials) {
	if projectID == "" {
		return
	}
	if creds == (cph.Credentials{}) {
		creds = defaultCredentials
	}
	s.mu.Lock()
	if _, known := s.projects[projectID]; !known {
		s.projectOrder = append(s.projectOrder, projectID)
	}
	s.projects[projectID] = creds
	s.mu.Unlock()
	s.gw.Accept(fakegw.Credentials(creds))
}

// ClientOptionsFor returns the options that point a cph.Client at the
// server as project projectID: the server's endpoint, projectID and the
// project's credentials (those of AddProject, or of NewServer for the
// default project). For a project the server does not serve, they carry
// the default credentials, so that the client's calls are refused as
// calls for another account's project (403 APIGW.0310).
func (s *Server) ClientOptionsFor(projectID string) []cph.Option {
	s.mu.Lock()
	creds, known := s.projects[projectID]
	s.mu.Unlock()
	if !known {
		creds = s.creds
	}
	return []cph.Option{
		cph.WithEndpoint(s.URL),
		cph.WithProjectID(projectID),
		cph.WithCredentials(creds),
	}
}

// projectsOf returns, in the order they were added, the projects whose
// credentials have access key ak.
func (s *Server) projectsOf(ak string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.projectOrder {
		if s.projects[p].AccessKey == ak {
			out = append(out, p)
		}
	}
	return out
}

// inProject refuses, with 403 APIGW.0310, a request whose path names a
// project the server does not serve or one the request's signer may not
// act on, or whose X-Project-Id names another project than its path.
func (s *Server) inProject(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		project := r.PathValue("project_id")
		header := r.Header.Get("X-Project-Id")
		if header != "" && header != project || !slices.Contains(s.projectsOf(fakegw.AccessKey(r)), project) {
			s.writeError(w, http.StatusForbidden, CodeProjectUnavailable, "The project is unavailable.")
			return
		}
		next(w, r)
	}
}
