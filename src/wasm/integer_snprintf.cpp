// snprintf for the wasm module, integers and strings only: keeps musl's printf (and its long-double floats) out of the binary.
//
// Why: the only callers in the module are nlohmann/json's "\u%04x" (string escapes) and
// "<U+%.4X>" (parse error text). musl's snprintf brings printf_core, fmt_fp and the software
// long-double routines with it: about 12 KB of code (scripts/size-report.mjs). This definition
// wins at link time, so none of that is linked. It supports the flags '-' '0' ' ' '+', width
// and precision (numbers or '*'), the length modifiers hh h l ll z j t, and the conversions
// d i u x X o c s %. Anything else (floats, %p, %n) writes nothing for the whole call and
// returns -1: a wrong result would be silent, a refusal is not. The native build uses the C
// library's own snprintf; this file is in the wasm targets only.
#include <cstdarg>
#include <cstddef>
#include <cstdint>

namespace {

struct Out {
  char* buffer;
  std::size_t capacity;
  std::size_t length = 0;
  void put(char c) {
    if (length + 1 < capacity) buffer[length] = c;
    ++length;
  }
  void repeat(char c, int n) {
    for (int i = 0; i < n; ++i) put(c);
  }
};

struct Spec {
  bool left = false, zero = false, plus = false, space = false;
  int width = 0;
  int precision = -1;
};

void put_padded(Out& out, const Spec& spec, const char* prefix, const char* digits, int count) {
  int prefix_length = 0;
  while (prefix[prefix_length]) ++prefix_length;
  const int zeros = spec.precision > count ? spec.precision - count : 0;
  const int body = prefix_length + zeros + count;
  const int pad = spec.width > body ? spec.width - body : 0;
  const bool zero_pad = spec.zero && !spec.left && spec.precision < 0;
  if (!spec.left && !zero_pad) out.repeat(' ', pad);
  for (int i = 0; i < prefix_length; ++i) out.put(prefix[i]);
  if (zero_pad) out.repeat('0', pad);
  out.repeat('0', zeros);
  for (int i = 0; i < count; ++i) out.put(digits[i]);
  if (spec.left) out.repeat(' ', pad);
}

void put_unsigned(Out& out, const Spec& spec, std::uintmax_t value, unsigned base, bool upper,
                  const char* prefix) {
  char digits[64];
  int count = 0;
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char reversed[64];
  // A zero with precision 0 prints no digits (C11 7.21.6.1).
  if (value != 0 || spec.precision != 0) {
    do {
      reversed[count++] = alphabet[value % base];
      value /= base;
    } while (value != 0);
  }
  for (int i = 0; i < count; ++i) digits[i] = reversed[count - 1 - i];
  put_padded(out, spec, prefix, digits, count);
}

int format(Out& out, const char* f, va_list args) {
  for (; *f; ++f) {
    if (*f != '%') {
      out.put(*f);
      continue;
    }
    ++f;
    Spec spec;
    for (;; ++f) {
      if (*f == '-') spec.left = true;
      else if (*f == '0') spec.zero = true;
      else if (*f == '+') spec.plus = true;
      else if (*f == ' ') spec.space = true;
      else break;
    }
    if (*f == '*') {
      spec.width = va_arg(args, int);
      if (spec.width < 0) {
        spec.left = true;
        spec.width = -spec.width;
      }
      ++f;
    } else {
      while (*f >= '0' && *f <= '9') spec.width = spec.width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
      ++f;
      spec.precision = 0;
      if (*f == '*') {
        spec.precision = va_arg(args, int);
        ++f;
      } else {
        while (*f >= '0' && *f <= '9') spec.precision = spec.precision * 10 + (*f++ - '0');
      }
    }
    int longs = 0;  // 1 = l, 2 = ll/j/z/t (64-bit), -1 = h/hh (promoted to int anyway)
    for (;; ++f) {
      if (*f == 'l') ++longs;
      else if (*f == 'j' || *f == 'z' || *f == 't') longs = 2;
      else if (*f == 'h') longs = -1;
      else break;
    }
    const char conversion = *f;
    if (conversion == 'd' || conversion == 'i') {
      const std::intmax_t v = longs >= 2   ? va_arg(args, long long)
                              : longs == 1 ? va_arg(args, long)
                                           : va_arg(args, int);
      const std::uintmax_t magnitude =
          v < 0 ? 0 - static_cast<std::uintmax_t>(v) : static_cast<std::uintmax_t>(v);
      put_unsigned(out, spec, magnitude, 10, false,
                   v < 0        ? "-"
                   : spec.plus  ? "+"
                   : spec.space ? " "
                                : "");
    } else if (conversion == 'u' || conversion == 'x' || conversion == 'X' || conversion == 'o') {
      const std::uintmax_t v = longs >= 2   ? va_arg(args, unsigned long long)
                               : longs == 1 ? va_arg(args, unsigned long)
                                            : va_arg(args, unsigned int);
      const unsigned base = conversion == 'u' ? 10 : conversion == 'o' ? 8 : 16;
      put_unsigned(out, spec, v, base, conversion == 'X', "");
    } else if (conversion == 'c') {
      const char c = static_cast<char>(va_arg(args, int));
      put_padded(out, Spec{spec.left, false, false, false, spec.width, -1}, "", &c, 1);
    } else if (conversion == 's') {
      const char* s = va_arg(args, const char*);
      if (!s) s = "(null)";
      int count = 0;
      while (s[count] && (spec.precision < 0 || count < spec.precision)) ++count;
      put_padded(out, Spec{spec.left, false, false, false, spec.width, -1}, "", s, count);
    } else if (conversion == '%') {
      out.put('%');
    } else {
      return -1;  // floats, %p, %n, or a malformed directive: refused, never approximated
    }
  }
  return 0;
}

}  // namespace

extern "C" int vsnprintf(char* buffer, std::size_t size, const char* f, va_list args) {
  Out out{buffer, size};
  if (format(out, f, args) != 0) {
    if (size) buffer[0] = '\0';
    return -1;
  }
  if (size) buffer[out.length < size ? out.length : size - 1] = '\0';
  return static_cast<int>(out.length);
}

extern "C" int snprintf(char* buffer, std::size_t size, const char* f, ...) {
  va_list args;
  va_start(args, f);
  const int n = vsnprintf(buffer, size, f, args);
  va_end(args);
  return n;
}
