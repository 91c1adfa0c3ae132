/**
 * The response cache (issue #16): answers to repeated requests served without an upstream call, per tenant.
 *
 * <p>Start at {@link dev.switchboard.router.cache.ResponseCache}: the chat pipeline asks it before routing
 * ({@code lookup}) and tells it every fresh answer ({@code store}). {@link dev.switchboard.router.cache.Fingerprint}
 * says what makes two requests the same (exactly, or but for the wording of the last user turn);
 * {@link dev.switchboard.router.cache.CacheStore} keeps answers in process
 * ({@link dev.switchboard.router.cache.InProcessCacheStore}, with {@link dev.switchboard.router.cache.SemanticIndex}) or in
 * Redis ({@link dev.switchboard.router.cache.RedisCacheStore}); {@link dev.switchboard.router.cache.CachedStream} replays an
 * answer as a stream and {@link dev.switchboard.router.cache.StreamCapture} rebuilds one from a stream.
 */
package dev.switchboard.router.cache;
