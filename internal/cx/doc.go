// Package cx is Northstar's domain: customers and their identities, interactions
// with their turns, surveys and value events, the analysis attached to an
// interaction, and the service interfaces the stores implement. It depends on
// nothing but the standard library; every other package may import it.
package cx
