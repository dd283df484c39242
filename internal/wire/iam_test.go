package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/wire"
)

func TestProjects_Read(t *testing.T) {
	tests := map[string]struct {
		body string
		want *[]wire.ProjectRef
	}{
		"projects": {
			body: `{"projects":[{"id":"a","name":"cn-north-4","enabled":true},{"id":"b","name":"cn-east-3"}],"links":{"self":"s"}}`,
			want: &[]wire.ProjectRef{{ID: "a", Name: "cn-north-4"}, {ID: "b", Name: "cn-east-3"}},
		},
		"empty list": {body: `{"projects":[]}`, want: &[]wire.ProjectRef{}},
		"absent":     {body: `{"error":"x"}`, want: nil},
		"null":       {body: `{"projects":null}`, want: nil},
		"fields not read, of any type": {
			body: `{"projects":[{"id":"a","name":"n","enabled":"yes","links":5,"domain_id":[]}],"links":7}`,
			want: &[]wire.ProjectRef{{ID: "a", Name: "n"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got wire.Projects[wire.ProjectRef]
			require.NoError(t, json.Unmarshal([]byte(tc.body), &got))
			assert.Equal(t, tc.want, got.Projects)
		})
	}
}

func TestProjects_WholeDocumentIsStricter(t *testing.T) {
	// What ProjectRef does not read, Project does: a reader that needs only
	// the ID and name uses ProjectRef.
	var page wire.ProjectsPage
	err := json.Unmarshal([]byte(`{"projects":[{"id":"a","name":"n","enabled":"yes"}]}`), &page)
	var typeErr *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &typeErr)
}

func TestProjectsPage_Marshal(t *testing.T) {
	next := "https://iam/v3/projects?page=2"
	projects := []wire.Project{{
		ProjectRef: wire.ProjectRef{ID: "p", Name: "cn-north-4"},
		DomainID:   "d",
		ParentID:   "d",
		Enabled:    true,
		Links:      wire.Links{Self: "https://iam/v3/projects/p"},
	}}
	tests := map[string]struct {
		page wire.ProjectsPage
		want string
	}{
		"one project": {
			page: wire.ProjectsPage{
				Projects: wire.Projects[wire.Project]{Projects: &projects},
				Links:    wire.Links{Self: "https://iam/v3/projects"},
			},
			want: `{"projects":[{"id":"p","name":"cn-north-4","domain_id":"d","parent_id":"d","description":"",` +
				`"enabled":true,"is_domain":false,"links":{"self":"https://iam/v3/projects/p"}}],` +
				`"links":{"self":"https://iam/v3/projects"}}`,
		},
		"empty list, next page": {
			page: wire.ProjectsPage{
				Projects: wire.Projects[wire.Project]{Projects: &[]wire.Project{}},
				Links:    wire.Links{Self: "s", Next: &next},
			},
			want: `{"projects":[],"links":{"self":"s","next":"https://iam/v3/projects?page=2"}}`,
		},
		"no list": {
			page: wire.ProjectsPage{},
			want: `{"projects":null,"links":{"self":""}}`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(tc.page)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))

			var back wire.ProjectsPage
			require.NoError(t, json.Unmarshal(got, &back))
			assert.Equal(t, tc.page, back, "it reads back what it wrote")
		})
	}
}
