/**
 * The wire records the SDK and the hub share for the hub's {@code /v1} API, so both sides read and write one
 * definition of each body (today: {@link io.suho.client.core.hub.Heartbeat}).
 */
package io.suho.client.core.hub;
