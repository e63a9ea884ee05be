package io.suho.client.postgres;

/** Stands in for the real module's type, which core's tests cannot depend on: lets the missing-module message be checked. */
public interface PostgresClient {
}
