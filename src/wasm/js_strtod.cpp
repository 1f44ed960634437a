// strtod for the wasm module: the decimal grammar scanned here, the conversion done by JavaScript's Number().
//
// Why: musl's strtod works in software long double (128-bit on wasm) and brings __multf3,
// __divtf3, __addtf3, fmodl and its own 7 KB body: about 12 KB of code for the module's only
// float parsing (nlohmann's lexer, the chunk cursor, Retry-After). Number() is correctly rounded
// (ECMA-262 §7.1.4.1.1), as glibc's strtod is, so wasm and native read every number alike. The
// callers only pass decimal numbers: this accepts [space]*[+-]?digits[.digits][(e|E)[+-]?digits]
// (digits on at least one side of the point) and, for anything else (hex, inf, nan), converts
// nothing (*end = s, returns 0), as strtod does for text that is not a number.
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

#include <cerrno>
#include <cmath>

// The text is ASCII by construction (digits, sign, point, exponent), so no UTF-8 decoding.
// The body is JavaScript that em++ copies as text: clang-format would lay it out as C++.
// clang-format off
EM_JS(double, llmbase_js_number, (const char* text, int length), {
  return Number(String.fromCharCode.apply(null, HEAPU8.subarray(text, text + length)));
});
// clang-format on

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

extern "C" double strtod(const char* s, char** end) {
  const char* p = s;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
  const char* start = p;
  if (*p == '+' || *p == '-') ++p;
  const char* digits = p;
  while (digit(*p)) ++p;
  bool any = p != digits;
  if (*p == '.') {
    const char* fraction = ++p;
    while (digit(*p)) ++p;
    any = any || p != fraction;
  }
  if (!any) {
    if (end) *end = const_cast<char*>(s);
    return 0.0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* mark = p++;
    if (*p == '+' || *p == '-') ++p;
    const char* exponent = p;
    while (digit(*p)) ++p;
    if (p == exponent) p = mark;  // "1e" is the number 1 followed by "e"
  }
  if (end) *end = const_cast<char*>(p);
  const double value = llmbase_js_number(start, static_cast<int>(p - start));
  if (std::isinf(value)) errno = ERANGE;  // as strtod reports an overflow (callers check it)
  return value;
}

// musl defines strtof and strtold in the same object as strtod: both are defined here too, so
// that object is never linked (libc++'s std::stof/stold reference them). Neither is used on a
// path that needs their exact rounding.
extern "C" float strtof(const char* s, char** end) { return static_cast<float>(strtod(s, end)); }
extern "C" long double strtold(const char* s, char** end) { return strtod(s, end); }
