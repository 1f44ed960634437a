// GoogleTest: every SSE decoding rule of SseDecoder and sanitize_utf8 (WHATWG HTML §9.2.6).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sse_decoder.h"

namespace llmbase {
namespace {

struct Decoded {
  std::vector<SseEvent> events;
  Error error;
};

// Feeds each piece in turn; stops at the first error, as a caller would.
Decoded decode(const std::vector<std::string>& pieces, SseDecoder* decoder = nullptr) {
  SseDecoder local;
  SseDecoder& d = decoder ? *decoder : local;
  Decoded out;
  for (const auto& piece : pieces) {
    out.error = d.feed(piece, out.events);
    if (!out.error.ok()) break;
  }
  return out;
}

std::vector<std::string> datas(const Decoded& d) {
  std::vector<std::string> out;
  for (const auto& ev : d.events) out.push_back(ev.data);
  return out;
}

using Strings = std::vector<std::string>;

TEST(SseDecoder, SplitsEventsOnLf) {
  auto d = decode({"data: a\n\ndata: b\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a", "b"}));
  EXPECT_EQ(d.events[0].event, "message");
}

TEST(SseDecoder, SplitsEventsOnCrlf) {
  EXPECT_EQ(datas(decode({"data: a\r\n\r\ndata: b\r\n\r\n"})), (Strings{"a", "b"}));
}

TEST(SseDecoder, SplitsEventsOnBareCr) {
  EXPECT_EQ(datas(decode({"data: a\r\rdata: b\r\r"})), (Strings{"a", "b"}));
}

TEST(SseDecoder, AcceptsMixedLineEnds) {
  EXPECT_EQ(datas(decode({"data: a\r\n\ndata: b\r\r\ndata: c\n\r"})), (Strings{"a", "b", "c"}));
}

TEST(SseDecoder, CrAtEndOfFeedAndLfAtStartOfNextIsOneLineEnd) {
  // If the LF counted as a second line end, "data: a" would be dispatched alone.
  auto d = decode({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  EXPECT_EQ(datas(d), (Strings{"a\nb"}));
}

TEST(SseDecoder, CrAtEndOfFeedFollowedByOtherBytesEndsTheLine) {
  EXPECT_EQ(datas(decode({"data: a\r", "\r", "data: b\r", "", "\r"})), (Strings{"a", "b"}));
}

TEST(SseDecoder, IgnoresCommentLines) {
  auto d = decode({": keep-alive\n\n:\n\ndata: a\n: inside an event\ndata: b\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a\nb"}));
}

TEST(SseDecoder, JoinsMultiLineData) {
  EXPECT_EQ(datas(decode({"data: {\"a\":\ndata: 1}\n\n"})), (Strings{"{\"a\":\n1}"}));
}

TEST(SseDecoder, KeepsEmptyDataLinesBetweenOthers) {
  EXPECT_EQ(datas(decode({"data: a\ndata:\ndata: b\n\n"})), (Strings{"a\n\nb"}));
  EXPECT_EQ(datas(decode({"data:\ndata: b\n\n"})), (Strings{"\nb"}));
  EXPECT_EQ(datas(decode({"data\ndata\n\n"})), (Strings{"\n"}));
}

TEST(SseDecoder, DoesNotDispatchAnEventWhoseDataIsEmpty) {
  // WHATWG HTML §9.2.6 "dispatch the event": an empty data buffer dispatches nothing (e.g. `data:` pings).
  auto d = decode({"data:\n\ndata\n\nevent: x\ndata: \n\ndata: a\n\n"});
  ASSERT_EQ(datas(d), (Strings{"a"}));
  EXPECT_EQ(d.events[0].event, "message");
}

TEST(SseDecoder, ReadsEventField) {
  auto d = decode({"event: error\ndata: x\n\ndata: y\n\n"});
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].event, "error");
  EXPECT_EQ(d.events[1].event, "message");  // the type buffer is reset after each event
}

TEST(SseDecoder, EmptyEventFieldMeansMessage) {
  auto d = decode({"event: custom\nevent:\ndata: x\n\n"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].event, "message");
}

TEST(SseDecoder, DoesNotDispatchAnEventWithoutData) {
  SseDecoder decoder;
  auto d = decode({"event: ping\n\nid: 7\n\nretry: 10\n\n", "data: x\n\n"}, &decoder);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].event, "message");  // "ping" was dropped with its empty event
  EXPECT_EQ(d.events[0].id, "7");           // ids persist across events
}

TEST(SseDecoder, TracksLastEventId) {
  SseDecoder decoder;
  const std::string id_with_nul = "id: x" + std::string(1, '\0') + "y\n";
  auto d =
      decode({"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 2\n" + id_with_nul + "data: d\n\n"},
             &decoder);
  ASSERT_EQ(d.events.size(), 4u);
  EXPECT_EQ(d.events[0].id, "1");
  EXPECT_EQ(d.events[1].id, "1");  // ids persist across events
  EXPECT_EQ(d.events[2].id, "");   // `id` without a value resets it
  EXPECT_EQ(d.events[3].id, "2");  // an id containing NUL is ignored
  EXPECT_EQ(decoder.last_event_id(), "2");
}

TEST(SseDecoder, ReadsRetry) {
  SseDecoder decoder;
  EXPECT_EQ(decoder.retry_ms(), -1);
  decode({"retry: 3000\n\n"}, &decoder);
  EXPECT_EQ(decoder.retry_ms(), 3000);
  decode({"retry:250\n"}, &decoder);
  EXPECT_EQ(decoder.retry_ms(), 250);
}

TEST(SseDecoder, IgnoresInvalidRetry) {
  SseDecoder decoder;
  decode({"retry: 1000\n", "retry: soon\nretry: 10a\nretry: -5\nretry:\nretry: 1.5\nretry:  7\n"},
         &decoder);
  EXPECT_EQ(decoder.retry_ms(), 1000);
}

TEST(SseDecoder, IgnoresUnknownFields) {
  auto d = decode({"foo: bar\nData: no\nDATA: no\nx-custom:1\ndata: a\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a"}));
}

TEST(SseDecoder, FieldWithoutColonHasEmptyValue) {
  auto d = decode({"data\n\nevent\ndata: x\n\nping\ndata: y\n\n"});
  ASSERT_EQ(datas(d), (Strings{"x", "y"}));  // `data` alone is an empty data line: not dispatched
  EXPECT_EQ(d.events[0].event, "message");
}

TEST(SseDecoder, AcceptsNoSpaceAfterColon) {
  auto d = decode({"event:error\ndata:{\"a\":1}\n\n"});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].event, "error");
  EXPECT_EQ(d.events[0].data, "{\"a\":1}");
}

TEST(SseDecoder, StripsOnlyOneLeadingSpace) {
  EXPECT_EQ(datas(decode({"data:  two\ndata:\tt\ndata: x \n\n"})), (Strings{" two\n\tt\nx "}));
}

TEST(SseDecoder, KeepsColonsInsideTheValue) {
  EXPECT_EQ(datas(decode({"data: a: b:c\n\n"})), (Strings{"a: b:c"}));
}

TEST(SseDecoder, SkipsABomAtTheStart) {
  auto d =
      decode({"\xEF\xBB\xBF"
              "data: a\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a"}));
}

TEST(SseDecoder, SkipsABomSplitAcrossFeeds) {
  EXPECT_EQ(datas(decode({"\xEF", "\xBB", "\xBF", "data: a\n\n"})), (Strings{"a"}));
  EXPECT_EQ(datas(decode({"\xEF\xBB",
                          "\xBF"
                          "data: a\n\n"})),
            (Strings{"a"}));
  EXPECT_EQ(datas(decode({"", "\xEF",
                          "\xBB\xBF"
                          "da",
                          "ta: a\n\n"})),
            (Strings{"a"}));
}

TEST(SseDecoder, SkipsOnlyOneBom) {
  // A second BOM is part of the first line, so the field is not `data`.
  EXPECT_TRUE(decode({"\xEF\xBB\xBF\xEF\xBB\xBF"
                      "data: a\n\n"})
                  .events.empty());
}

TEST(SseDecoder, KeepsANonBomFirstByte) {
  EXPECT_EQ(datas(decode({"d", "ata: a\n\n"})), (Strings{"a"}));
  // A partial BOM followed by other bytes is content: the line is then an unknown field.
  auto d = decode({"\xEF\xBB", "data: a\n\ndata: b\n\n"});
  EXPECT_EQ(datas(d), (Strings{"b"}));
}

TEST(SseDecoder, BomAfterTheStartIsContent) {
  auto d = decode({"data: a\n\n", "data: \xEF\xBB\xBFz\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a", "\xEF\xBB\xBFz"}));
}

TEST(SseDecoder, ReassemblesUtf8SplitAtEveryBytePosition) {
  const std::string text = "h\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x8E\x89!";  // hé 你好 🎉!
  const std::string wire = "data: " + text + "\n\n";
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    auto d = decode({wire.substr(0, cut), wire.substr(cut)});
    ASSERT_EQ(datas(d), (Strings{text})) << "cut at " << cut;
  }
  for (std::size_t a = 1; a < wire.size(); ++a) {
    for (std::size_t b = a; b < wire.size(); ++b) {
      auto d = decode({wire.substr(0, a), wire.substr(a, b - a), wire.substr(b)});
      ASSERT_EQ(datas(d), (Strings{text})) << "cuts at " << a << ", " << b;
    }
  }
}

TEST(SseDecoder, ReplacesInvalidUtf8InData) {
  auto d =
      decode({"data: a\xFF"
              "b\xC3\n\n"});
  EXPECT_EQ(datas(d), (Strings{"a\xEF\xBF\xBD"
                               "b\xEF\xBF\xBD"}));
}

TEST(SanitizeUtf8, KeepsValidText) {
  const std::string s = "plain, \xC3\xA9, \xE4\xBD\xA0, \xF0\x9F\x98\x80, \xF4\x8F\xBF\xBF";
  EXPECT_EQ(sanitize_utf8(s), s);
  EXPECT_EQ(sanitize_utf8(""), "");
}

TEST(SanitizeUtf8, ReplacesEachInvalidByte) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(sanitize_utf8("\xFF"), r);
  EXPECT_EQ(sanitize_utf8("\x80x"), r + "x");                   // lone continuation byte
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xE0\x80\xAF"), r + r + r);          // overlong 3-byte form
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), r + r + r);          // UTF-16 surrogate
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // above U+10FFFF
  EXPECT_EQ(sanitize_utf8("ok\xE4\xBD"), "ok" + r + r);         // truncated at the end
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x98"
                          "a"),
            r + r + r + "a");
}

TEST(SseDecoder, FinishDiscardsAnUnterminatedEvent) {
  SseDecoder decoder;
  std::vector<SseEvent> events;
  EXPECT_TRUE(decoder.feed("data: a\n\ndata: b\n", events).ok());
  EXPECT_TRUE(decoder.finish());  // "b" had no blank line: dropped, per the spec
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a");

  SseDecoder partial_line;
  EXPECT_TRUE(partial_line.feed("data: [DONE]", events).ok());
  EXPECT_TRUE(partial_line.finish());
  EXPECT_EQ(events.size(), 1u);
}

TEST(SseDecoder, FinishReportsNothingPendingAfterCompleteEvents) {
  SseDecoder decoder;
  std::vector<SseEvent> events;
  EXPECT_TRUE(decoder.feed("data: a\n\n: trailing comment\n", events).ok());
  EXPECT_FALSE(decoder.finish());
  SseDecoder empty;
  EXPECT_FALSE(empty.finish());
}

TEST(SseDecoder, RejectsALineAboveTheLimit) {
  SseDecoder decoder(32);
  std::vector<SseEvent> events;
  const std::string wire = "data: ok\n\ndata: " + std::string(64, 'x') + "\n\ndata: later\n\n";
  Error e = decoder.feed(wire, events);
  EXPECT_EQ(e.kind, ErrorKind::kEventTooLarge);
  EXPECT_EQ(e.code, "event_too_large");
  ASSERT_EQ(events.size(), 1u);  // the event before the oversized one is still delivered
  EXPECT_EQ(events[0].data, "ok");
  // Once failed, further input is ignored.
  EXPECT_TRUE(decoder.feed("data: more\n\n", events).ok());
  EXPECT_EQ(events.size(), 1u);
}

TEST(SseDecoder, RejectsAnUnterminatedLineGrowingAboveTheLimit) {
  SseDecoder decoder(32);
  std::vector<SseEvent> events;
  EXPECT_TRUE(decoder.feed("data: a\n\ndata: ", events).ok());
  Error e;
  for (int i = 0; i < 10 && e.ok(); ++i) e = decoder.feed("xxxxxxxx", events);
  EXPECT_EQ(e.kind, ErrorKind::kEventTooLarge);
  EXPECT_EQ(datas({events, {}}), (Strings{"a"}));
}

TEST(SseDecoder, RejectsAnEventWhoseDataLinesAddUpAboveTheLimit) {
  SseDecoder decoder(32);
  std::vector<SseEvent> events;
  Error e;
  e = decoder.feed("data: first\n\n", events);
  for (int i = 0; i < 10 && e.ok(); ++i) e = decoder.feed("data: 0123456789\n", events);
  EXPECT_EQ(e.kind, ErrorKind::kEventTooLarge);
  EXPECT_EQ(datas({events, {}}), (Strings{"first"}));
}

TEST(SseDecoder, AcceptsEventsUpToTheLimit) {
  SseDecoder decoder(32);
  std::vector<SseEvent> events;
  const std::string data(26, 'y');  // "data: " + 26 bytes = a 32-byte line
  EXPECT_TRUE(decoder.feed("data: " + data + "\n\n", events).ok());
  EXPECT_EQ(datas({events, {}}), (Strings{data}));
}

}  // namespace
}  // namespace llmbase
