package cph

// sealed holds a value where fmt cannot reach it. fmt prints the fields of
// a struct it cannot call methods on by reflection, and under verbs such as
// %s it follows pointers too; a func it only ever prints as an address,
// under every verb. So a type that holds secrets keeps them in a sealed
// value, and its fields show nothing but addresses, whatever a user prints
// it with and wherever it sits in the user's own values.
type sealed[T any] struct{ get func() T }

// seal returns a sealed v.
func seal[T any](v T) sealed[T] { return sealed[T]{get: func() T { return v }} }

// open returns the sealed value, or T's zero value for a zero sealed.
func (s sealed[T]) open() T {
	if s.get == nil {
		var zero T
		return zero
	}
	return s.get()
}
