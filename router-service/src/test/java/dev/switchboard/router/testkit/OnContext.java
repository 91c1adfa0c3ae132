package dev.switchboard.router.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs a Vert.x HTTP client chain on an event-loop context, for tests that drive a client from the
 * JUnit thread.
 *
 * <p>Why: a chain such as {@code http.request(o).compose(r -> r.send()).compose(resp -> resp.body())}
 * built on a non-Vert.x thread registers each {@code compose} callback from that thread. If the
 * thread is descheduled (a loaded machine) the event loop can receive the whole small response and
 * end it before the last callback is attached; the callback then runs on the JUnit thread against
 * an ended response: {@code resp.handler(..)} throws "Response already ended" and, in Vert.x 5.0,
 * {@code resp.body()} returns a future that never completes. Built inside {@code runOnContext}, each
 * callback runs on the event loop in the same task that completes its input, so response handlers
 * are in place before the loop processes any body data.
 */
public final class OnContext {
  private OnContext() {}

  /** Builds and runs {@code chain} on a fresh event-loop context; the result can be awaited from any thread. */
  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        chain.get().onComplete(result);
      } catch (RuntimeException e) {
        result.tryFail(e);
      }
    });
    return result.future();
  }
}
