// strtod_l, strtof_l and strtold_l for the wasm test binary, over the module's strtod (src/wasm/js_strtod.cpp).
//
// Why: libc++'s number extraction (`stream >> double`, std::stod), which GoogleTest and the test
// files use, calls the _l variants. musl defines them in one object file together with strtod,
// strtof and strtold, which js_strtod.cpp replaces; linking that object for the _l names would
// define strtod twice. The shipped module never calls the _l variants. The wasm C library has only
// the C locale, so the locale argument changes nothing.
#include <locale.h>

#include <cstdlib>

extern "C" double strtod_l(const char* s, char** end, locale_t) { return std::strtod(s, end); }
extern "C" float strtof_l(const char* s, char** end, locale_t) { return std::strtof(s, end); }
extern "C" long double strtold_l(const char* s, char** end, locale_t) {
  return std::strtold(s, end);
}
