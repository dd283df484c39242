package wire

// Projects is the list in the body of IAM's answer to KeystoneListProjects,
// GET /v3/projects, with its projects of type T: ProjectRef to read only
// what a client needs, so that a field it does not read can never fail its
// decoding, or Project for the whole document (ProjectsPage):
//
//	{"projects": [{"id": "...", "name": "cn-north-4", ...}], "links": {...}}
//
// It is documented in Huawei Cloud's IAM API reference, "Querying Project
// Information Based on the Specified Criteria" (the official SDK's
// KeystoneListProjectsResponse).
type Projects[T any] struct {
	// Projects is the list; nil when the body has no "projects" member or
	// it is null, so that a body that is not IAM's document can be told
	// from an empty list.
	Projects *[]T `json:"projects"`
}

// ProjectsPage is the whole body of IAM's answer to KeystoneListProjects
// (see Projects): the projects, then the page's links.
type ProjectsPage struct {
	Projects[Project]
	// Links holds the URL of this page, and of the pages before and after.
	Links Links `json:"links"`
}

// ProjectRef is what identifies a project in IAM's answers: its ID, and
// its name (a region's project is named after the region, "cn-north-4").
type ProjectRef struct {
	// ID is the project ID.
	ID string `json:"id"`
	// Name is the project's name.
	Name string `json:"name"`
}

// Project is a project in IAM's answer to KeystoneListProjects (see
// Projects): its ProjectRef and the rest of what IAM says of it.
type Project struct {
	ProjectRef
	// DomainID is the ID of the account (domain) the project belongs to.
	DomainID string `json:"domain_id"`
	// ParentID is the ID of the project's parent: the domain, for a
	// region's project.
	ParentID string `json:"parent_id"`
	// Description is the project's description.
	Description string `json:"description"`
	// Enabled says whether the project is enabled.
	Enabled bool `json:"enabled"`
	// IsDomain says whether the project is a domain; false for a region's
	// project.
	IsDomain bool `json:"is_domain"`
	// Links holds the project's own URL.
	Links Links `json:"links"`
}

// Links are the links of an IAM resource or page: its own URL, and for a
// page the URLs of the pages before and after, omitted when nil.
type Links struct {
	// Self is the URL of the resource or page itself.
	Self string `json:"self"`
	// Next is the URL of the next page, if any.
	Next *string `json:"next,omitempty"`
	// Previous is the URL of the previous page, if any.
	Previous *string `json:"previous,omitempty"`
}
