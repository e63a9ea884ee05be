package io.suho.hub.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling the gRPC API, as {@link HubAccess} and the watcher caps need it: the {@code authorization} metadata,
 * the client's address (the unit of {@code SUHO_HUB_MAX_WAITERS_PER_CLIENT}) and, over mutual TLS, its certificate
 * chain. {@link #interceptor()} puts it into the call's {@link Context}; {@link #current()} reads it there. Immutable.
 *
 * @param authorization the {@code authorization} metadata value, or {@code null}
 * @param client the client's IP address (text), or {@code ""} when unknown
 * @param peerCertificates the TLS client's certificate chain, or {@code null}
 */
record GrpcCaller(String authorization, String client, Certificate[] peerCertificates) {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<GrpcCaller> KEY = Context.key("suho-hub-caller");
    private static final GrpcCaller NOBODY = new GrpcCaller(null, "", null);

    /** The caller of the call this thread serves (a caller with no token when there is none). */
    static GrpcCaller current() {
        GrpcCaller c = KEY.get();
        return c == null ? NOBODY : c;
    }

    /** Reads the caller of every call into its context. */
    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                GrpcCaller caller = new GrpcCaller(headers.get(AUTHORIZATION),
                        address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                        certificates(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
                return Contexts.interceptCall(Context.current().withValue(KEY, caller), call, headers, next);
            }
        };
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return isa.getAddress().getHostAddress();
        }
        return remote == null ? "" : remote.toString();
    }

    private static Certificate[] certificates(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            return session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null; // TLS without a client certificate
        }
    }
}
