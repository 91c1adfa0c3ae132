package dev.switchboard.classifier.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf wire-format writer: just the field kinds ONNX's ModelProto needs (varint,
 * length-delimited bytes/strings/sub-messages). Why not protobuf-java + onnx.proto: a code
 * generator and a 2 MB runtime for ~10 message types we only ever write.
 */
final class ProtoWriter {

  private static final int VARINT = 0;
  private static final int LEN = 2;

  /** A ByteArrayOutputStream that lends its buffer, so large messages are not copied to be nested. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] buffer() {
      return buf;
    }
  }

  private final Buffer out;

  ProtoWriter() {
    this(32);
  }

  ProtoWriter(int initialSize) {
    this.out = new Buffer(initialSize);
  }

  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** A float field (wire type 5, little-endian). */
  ProtoWriter fixed32(int field, float value) {
    tag(field, 5);
    int bits = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write((bits >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LEN);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  /** An already encoded field (tag included), copied as is. */
  ProtoWriter raw(byte[] buf, int off, int len) {
    out.write(buf, off, len);
    return this;
  }

  /** A length-delimited field whose payload is the first {@code len} bytes of {@code payload}. */
  ProtoWriter bytes(int field, byte[] payload, int len) {
    tag(field, LEN);
    rawVarint(len);
    out.write(payload, 0, len);
    return this;
  }

  /** Bytes written so far (the array may be longer: see {@link #size()}), without a copy. */
  byte[] buffer() {
    return out.buffer();
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
