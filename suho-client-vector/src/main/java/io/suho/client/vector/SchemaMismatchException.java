package io.suho.client.vector;

import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;

/**
 * A collection exists on the server with a definition that cannot be reconciled with the one declared in code
 * (a property with another type, another distance metric). Weaviate cannot change these in place: migrate the
 * collection (new name, re-import) instead.
 */
public class SchemaMismatchException extends StoreOperationException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String collection, String message) {
        super(Store.VECTOR, "ensureCollection", "SCHEMA_MISMATCH", "collection " + collection + ": " + message, null);
    }
}
