package dev.switchboard.classifier.base;

/**
 * Every failure of the classifier (bad input, missing or corrupt model files, a card that does
 * not match its ONNX file) surfaces as this one unchecked type, with a message that names the
 * file or field at fault, so callers can map it to a 4xx/5xx without inspecting causes.
 */
public final class ClassifierException extends RuntimeException {

  public ClassifierException(String message) {
    super(message);
  }

  public ClassifierException(String message, Throwable cause) {
    super(message, cause);
  }
}
