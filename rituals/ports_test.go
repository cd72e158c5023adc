package rituals_test

import (
	"reflect"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// maxPortMethods is the most methods a port a service depends on may
// have: past it, a service takes more than it says it touches.
const maxPortMethods = 20

// Every interface a service reaches through its fields (its store, the
// transactions its store hands out, its rituals' transactions, the
// people directory …) has at most maxPortMethods methods: no service
// takes the Store or Tx union whole.
func TestPortsAreSmall(t *testing.T) {
	services := []any{
		rituals.Decisions{}, rituals.DecisionReminders{}, rituals.Rights{},
		rituals.Blockers{}, rituals.BlockerWatch{}, rituals.Checkins{},
		rituals.Pulses{}, rituals.Sessions{}, rituals.Homes{}, rituals.Digests{}, rituals.Hooks{},
		rituals.Runner{},
	}
	ritualsPath := reflect.TypeFor[rituals.Store]().PkgPath()
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch typ.Kind() {
		case reflect.Interface:
			if typ.PkgPath() != ritualsPath {
				return
			}
			if n := typ.NumMethod(); n > maxPortMethods {
				t.Errorf("%s is %s, with %d methods; a port has at most %d", path, typ.Name(), n, maxPortMethods)
			}
			for i := range typ.NumMethod() {
				m := typ.Method(i)
				walk(path+"."+m.Name, m.Type)
			}
		case reflect.Func:
			for i := range typ.NumIn() {
				walk(path, typ.In(i))
			}
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walk(path, typ.Elem())
		case reflect.Struct:
			if typ.PkgPath() != ritualsPath {
				return
			}
			for i := range typ.NumField() {
				if f := typ.Field(i); f.IsExported() {
					walk(path+"."+f.Name, f.Type)
				}
			}
		}
	}
	for _, svc := range services {
		typ := reflect.TypeOf(svc)
		walk(typ.Name(), typ)
	}
	walk("NewRunner(store)", reflect.TypeFor[rituals.SchedulerStore]())
	// The walk must reach the transaction ports through the In…Tx
	// methods, or it would pass by seeing nothing.
	for _, tx := range []reflect.Type{reflect.TypeFor[rituals.DecisionTx](), reflect.TypeFor[rituals.RitualTx](),
		reflect.TypeFor[rituals.CheckinCloseTx](), reflect.TypeFor[rituals.PulseAnswerTx]()} {
		if !seen[tx] {
			t.Errorf("the walk did not reach %s", tx.Name())
		}
	}
}
