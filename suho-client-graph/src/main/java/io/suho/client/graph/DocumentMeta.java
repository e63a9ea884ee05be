package io.suho.client.graph;

/**
 * What ArangoDB reports after a write.
 *
 * @param key the document's {@code _key}
 * @param id the document's {@code _id} ({@code collection/key})
 * @param rev the new revision {@code _rev}
 */
public record DocumentMeta(String key, String id, String rev) {
}
