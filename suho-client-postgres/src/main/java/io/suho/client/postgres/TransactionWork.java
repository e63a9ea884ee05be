package io.suho.client.postgres;

/** The body of a transaction given to {@link PostgresClient#inTransaction}; may be run more than once on retry. */
@FunctionalInterface
public interface TransactionWork<T> {
    T apply(Transaction tx) throws Exception;
}
