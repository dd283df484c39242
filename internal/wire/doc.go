// Package wire declares, once, the JSON documents the module reads and
// writes on the wire: ListPhoneImages' list, the custom-image and
// member documents, the error bodies of Huawei
// Cloud's gateway and services, and IAM's list of projects. The client
// (its encoding/json decoding), the fake server cphtest and the cphimages
// command all use these types, so that a field's JSON name is spelt in
// one place.
//
// The package holds types only: it imports nothing of the module, so that
// the root package cph can import it. Where a document's elements are a
// type of package cph (cph.PhoneImage), the document is generic in them.
package wire
