package dev.switchboard.classifier.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal protobuf wire-format reader, the counterpart of {@link ProtoWriter}: splits one message
 * into its top-level fields, each with its raw encoding so an unchanged field can be copied as is.
 */
final class ProtoFields {

  /**
   * One field. {@code bytes} is the payload of a length-delimited field (else empty); {@code raw}
   * the whole encoding, tag included.
   */
  record Field(int number, int wireType, byte[] bytes, byte[] raw) {}

  private ProtoFields() {}

  static List<Field> parse(byte[] msg) {
    List<Field> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < msg.length) {
      int start = pos[0];
      long tag = varint(msg, pos);
      int number = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      byte[] payload = new byte[0];
      switch (wireType) {
        case 0 -> varint(msg, pos);
        case 1 -> pos[0] += 8;
        case 5 -> pos[0] += 4;
        case 2 -> {
          long len = varint(msg, pos);
          if (len < 0 || len > msg.length - pos[0]) throw new IllegalArgumentException("truncated protobuf field " + number);
          payload = Arrays.copyOfRange(msg, pos[0], pos[0] + (int) len);
          pos[0] += (int) len;
        }
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType + " (field " + number + ")");
      }
      if (pos[0] > msg.length) throw new IllegalArgumentException("truncated protobuf field " + number);
      out.add(new Field(number, wireType, payload, Arrays.copyOfRange(msg, start, pos[0])));
    }
    return out;
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) throw new IllegalArgumentException("truncated protobuf varint");
      int x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) return v;
    }
    throw new IllegalArgumentException("malformed protobuf varint");
  }
}
