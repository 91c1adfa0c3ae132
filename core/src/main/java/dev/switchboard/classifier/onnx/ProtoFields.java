package dev.switchboard.classifier.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal protobuf wire-format reader, the counterpart of {@link ProtoWriter}: splits one message
 * into its top-level fields. Fields are views into the buffer (no copies: an ONNX model's weights
 * are tens of megabytes), so an unchanged field can be written back as is.
 */
final class ProtoFields {

  /** One field of {@code buf}: its encoding spans {@code [start, end)}, its payload {@code [payloadStart, end)}. */
  record Field(int number, int wireType, byte[] buf, int start, int payloadStart, int end) {
    /** A copy of a length-delimited field's payload. */
    byte[] bytes() {
      return Arrays.copyOfRange(buf, payloadStart, end);
    }

    /** The fields of a length-delimited field's payload (a sub-message), as views. */
    List<Field> message() {
      return parse(buf, payloadStart, end);
    }

    /** A copy of the whole encoding, tag included. */
    byte[] raw() {
      return Arrays.copyOfRange(buf, start, end);
    }

    void writeTo(ProtoWriter w) {
      w.raw(buf, start, end - start);
    }
  }

  private ProtoFields() {}

  static List<Field> parse(byte[] msg) {
    return parse(msg, 0, msg.length);
  }

  static List<Field> parse(byte[] buf, int from, int to) {
    List<Field> out = new ArrayList<>();
    int[] pos = {from};
    while (pos[0] < to) {
      int start = pos[0];
      long tag = varint(buf, pos, to);
      int number = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      int payloadStart = pos[0];
      switch (wireType) {
        case 0 -> varint(buf, pos, to);
        case 1 -> pos[0] += 8;
        case 5 -> pos[0] += 4;
        case 2 -> {
          long len = varint(buf, pos, to);
          if (len < 0 || len > to - pos[0]) throw new IllegalArgumentException("truncated protobuf field " + number);
          payloadStart = pos[0];
          pos[0] += (int) len;
        }
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType + " (field " + number + ")");
      }
      if (pos[0] > to) throw new IllegalArgumentException("truncated protobuf field " + number);
      out.add(new Field(number, wireType, buf, start, payloadStart, pos[0]));
    }
    return out;
  }

  private static long varint(byte[] b, int[] pos, int to) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= to) throw new IllegalArgumentException("truncated protobuf varint");
      int x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) return v;
    }
    throw new IllegalArgumentException("malformed protobuf varint");
  }
}
