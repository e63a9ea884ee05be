package io.suho.hub.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error responses (requests refused before they reach the API: ambiguous or malformed URIs, oversized
 * headers, bad HTTP) in the API's own shape, {@code {"error": code, "message": …}}, never an HTML page or a
 * stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    private static byte[] body(int code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", code >= 500 ? "internal" : "bad_request");
        String reason = HttpStatus.getMessage(code);
        // Jetty's messages describe the protocol problem only (e.g. "Ambiguous URI path separator")
        n.put("message", message == null || message.isBlank() ? reason : message);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every method gets the JSON body (Jetty's default gives PUT and DELETE errors an empty one). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String msg = code >= 500 ? "internal error; see the hub's log" : message;
        response.write(true, ByteBuffer.wrap(body(code, msg)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }
}
