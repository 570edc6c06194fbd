package io.migrationexporter.source.saas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Random mutations of a valid JSON answer, as a broken proxy, a changed API or a hostile server
 * would send it: values nulled, removed or of another type, absurd numbers, dates and strings,
 * deep nesting, unexpected arrays and objects, then now and then bytes cut, added or replaced so
 * that the answer is not JSON, or not even UTF-8.
 */
final class JsonMutations {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Number texts Jackson's tree cannot all hold: they are spliced in after serialisation. */
  private static final List<String> NUMBERS = List.of("0", "-0", "-1", "1.5", "1e400", "-1e400",
      "1e-400", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
      "2147483648", "4294967296", "1E+2", "0.0000000001", "31556889864403200",
      "1" + "0".repeat(999), "1" + "0".repeat(5000));
  private static final List<String> STRINGS = List.of("", " ", "null", "true", "42", "-1", "1e400",
      "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2022-07-23T22:00:00+25:00",
      "2022-02-30T00:00:00Z", "1658613600", "not a date", "PS", "AV", "one-off", "running",
      "postgresql", "http://127.0.0.1:1/", "https://evil.example/next?page=2", "/api/v1/checks/",
      "cursor-99999", "cursor--1", "cursor-x", "\u0000", "line\nbreak", "tab\there", "\ud800",
      "\udfff\ud800", "\u00e9t\u00e9 \ud83d\ude42", "\u202eevil", "\"quoted\"", "back\\slash",
      "a.b.c", "ey.ey.ey", "eyJhbGciOiJub25lIn0.eyJleHAiOjF9.x", "\r\nSet-Cookie: x=y");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT");
  /** Dates at the edges of what java.time holds, and some it does not. */
  private static final List<String> DATES = List.of("+999999999-12-31T23:59:59.999999999Z",
      "-999999999-01-01T00:00:00Z", "+292278994-08-17T07:12:55.807Z", "0000-01-01T00:00:00Z",
      "1970-01-01T00:00:00Z", "2022-07-23T22:00:00+18:00", "2022-07-23T22:00:00-18:00",
      "2022-07-23T22:00:00+25:00", "2022-07-23T22:00:00", "2022-07-23", "9999-12-31T23:59:59Z",
      "2022-07-23T22:00:00.123456789123Z", "2022-13-01T00:00:00Z", "2022-07-23T22:00:60Z");
  private static final String RAW = "\u0001raw-";

  private final Random random;
  private final List<String> raws = new ArrayList<>();
  private final List<String> done = new ArrayList<>();

  JsonMutations(Random random) {
    this.random = random;
  }

  /** What was done to the last body, for the failure message. */
  List<String> done() {
    return done;
  }

  /** One to three mutations of the tree of {@code valid}, then maybe a byte-level one. */
  byte[] apply(byte[] valid) {
    done.clear();
    raws.clear();
    JsonNode root;
    try {
      root = JSON.readTree(valid);
    } catch (IOException e) {
      throw new IllegalStateException("the fake answered with invalid JSON", e);
    }
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      root = mutate(root);
    }
    byte[] bytes = splice(root.toString()).getBytes(StandardCharsets.UTF_8);
    return random.nextInt(4) == 0 ? bytes(bytes) : bytes;
  }

  /** A place in the tree: the value of {@code field} in an object, or of {@code index} in a list. */
  private record Slot(JsonNode parent, String field, int index, JsonNode value) {}

  private static void slots(JsonNode parent, List<Slot> out) {
    if (parent.isObject()) {
      parent.properties().forEach(entry -> {
        out.add(new Slot(parent, entry.getKey(), -1, entry.getValue()));
        slots(entry.getValue(), out);
      });
    } else if (parent.isArray()) {
      for (int i = 0; i < parent.size(); i++) {
        out.add(new Slot(parent, null, i, parent.get(i)));
        slots(parent.get(i), out);
      }
    }
  }

  private JsonNode mutate(JsonNode root) {
    List<Slot> slots = new ArrayList<>();
    slots(root, slots);
    if (slots.isEmpty() || random.nextInt(25) == 0) {
      JsonNode replaced = value(root);
      done.add("whole body -> " + describe(replaced));
      return replaced;
    }
    Slot slot = slots.get(random.nextInt(slots.size()));
    if (slot.field() != null && random.nextInt(4) == 0) {
      // The same field wrong everywhere: every timestamp, every id, every state.
      JsonNode value = value(slot.value());
      for (Slot same : slots) {
        if (slot.field().equals(same.field())) {
          set(same, value.deepCopy());
        }
      }
      done.add("every '" + slot.field() + "' -> " + describe(value));
      return root;
    }
    String where = slot.field() != null ? "'" + slot.field() + "'" : "[" + slot.index() + "]";
    if (random.nextInt(6) == 0) {
      remove(slot);
      done.add("remove " + where);
    } else if (random.nextInt(8) == 0 && slot.parent().isArray()) {
      ((ArrayNode) slot.parent()).insert(slot.index(), slot.value().deepCopy());
      done.add("duplicate " + where);
    } else {
      JsonNode value = value(slot.value());
      set(slot, value);
      done.add(where + " -> " + describe(value));
    }
    return root;
  }

  private static void remove(Slot slot) {
    if (slot.field() != null) {
      ((ObjectNode) slot.parent()).remove(slot.field());
    } else {
      ((ArrayNode) slot.parent()).remove(slot.index());
    }
  }

  private static void set(Slot slot, JsonNode value) {
    if (slot.field() != null) {
      ((ObjectNode) slot.parent()).set(slot.field(), value);
    } else {
      ((ArrayNode) slot.parent()).set(slot.index(), value);
    }
  }

  /** A value to put where {@code old} was: half the time one of its own kind, gone wrong. */
  private JsonNode value(JsonNode old) {
    if (random.nextBoolean()) {
      if (old.isTextual() && DATE.matcher(old.asText()).lookingAt()) {
        return NODES.textNode(DATES.get(random.nextInt(DATES.size())));
      }
      if (old.isNumber()) {
        return raw(NUMBERS.get(random.nextInt(NUMBERS.size())));
      }
      if (old.isTextual()) {
        return NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
      }
    }
    return switch (random.nextInt(12)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2, 3 -> raw(NUMBERS.get(random.nextInt(NUMBERS.size())));
      case 4, 5 -> NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
      case 6 -> NODES.textNode(old.isValueNode() ? old.asText() : old.toString());
      case 7 -> random.nextBoolean() ? NODES.arrayNode() : NODES.arrayNode().add(old.deepCopy());
      case 8 -> random.nextBoolean() ? NODES.objectNode()
          : NODES.objectNode().set("value", old.deepCopy());
      case 9 -> NODES.arrayNode().addNull();
      case 10 -> deep();
      default -> huge();
    };
  }

  /** Lists or objects inside each other, up to far beyond any parser's limit. */
  private JsonNode deep() {
    int depth = List.of(10, 500, 999, 1001, 5000, 100_000).get(random.nextInt(6));
    boolean lists = random.nextBoolean();
    String open = lists ? "[" : "{\"a\":";
    String close = lists ? "]" : "}";
    return raw(open.repeat(depth) + "1" + close.repeat(depth));
  }

  private JsonNode huge() {
    int size = List.of(1000, 100_000, 1_000_000, 5_000_000).get(random.nextInt(4));
    return NODES.textNode("x".repeat(size));
  }

  private JsonNode raw(String text) {
    raws.add(text);
    return NODES.textNode(RAW + (raws.size() - 1));
  }

  /** The tree's text with each raw placeholder replaced by its text. */
  private String splice(String text) {
    String out = text;
    for (int i = raws.size() - 1; i >= 0; i--) {
      out = out.replace(new TextNode(RAW + i).toString(), raws.get(i));
    }
    return out;
  }

  private String describe(JsonNode value) {
    String text = value.toString();
    if (text.startsWith("\"" + RAW.replace("\u0001", "\\u0001"))) {
      String raw = raws.get(Integer.parseInt(text.substring(text.lastIndexOf('-') + 1,
          text.length() - 1)));
      return raw.length() > 40 ? raw.substring(0, 20) + "...(" + raw.length() + " chars)" : raw;
    }
    return text.length() > 60 ? text.substring(0, 40) + "...(" + text.length() + " chars)" : text;
  }

  /** Cut, flipped, added or replaced bytes: not JSON any more, or not even UTF-8. */
  private byte[] bytes(byte[] body) {
    int at = body.length == 0 ? 0 : random.nextInt(body.length + 1);
    switch (random.nextInt(6)) {
      case 0 -> {
        done.add("truncate at byte " + at);
        return Arrays.copyOf(body, at);
      }
      case 1 -> {
        byte[] stray = List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {0}, new byte[] {(byte) 0xE2, (byte) 0x82}).get(random.nextInt(6));
        done.add("insert " + stray.length + " bytes that are not UTF-8 at byte " + at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(stray);
        out.write(body, at, body.length - at);
        return out.toByteArray();
      }
      case 2 -> {
        if (body.length == 0) {
          return body;
        }
        int flipped = Math.min(at, body.length - 1);
        byte[] out = body.clone();
        out[flipped] = (byte) random.nextInt(256);
        done.add("byte " + flipped + " set to " + (out[flipped] & 0xFF));
        return out;
      }
      case 3 -> {
        int end = Math.min(body.length, at + 1 + random.nextInt(64));
        done.add("delete bytes " + at + " to " + end);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.write(body, end, body.length - end);
        return out.toByteArray();
      }
      case 4 -> {
        String suffix = List.of("}", "]", "xyz", "{}", "\u0000", "\n\n{\"a\":1}").get(
            random.nextInt(6));
        done.add("append " + suffix.replace("\u0000", "NUL"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(random.nextBoolean() ? "\uFEFF".getBytes(StandardCharsets.UTF_8)
            : new byte[0]);
        out.writeBytes(body);
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
      }
      default -> {
        String whole = List.of("", " ", "null", "[]", "{}", "\"x\"", "42", "true", "<html>",
            "\uFEFF", "{", "[", "{\"a\":", "\"\\u", "nul").get(random.nextInt(15));
        done.add("body replaced by '" + whole + "'");
        return whole.getBytes(StandardCharsets.UTF_8);
      }
    }
  }
}
