package io.suho.client.vector;

/** What {@link VectorClient#ensureCollection} did to make the server's collection match the declaration. */
public enum CollectionStatus {
    /** The collection did not exist and was created. */
    CREATED,
    /** The collection existed and lacked some declared properties, which were added. */
    PROPERTIES_ADDED,
    /** The collection already matched. */
    UNCHANGED
}
