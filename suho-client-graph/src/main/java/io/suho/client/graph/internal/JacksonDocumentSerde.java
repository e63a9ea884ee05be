package io.suho.client.graph.internal;

import com.arangodb.serde.ArangoSerde;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * Maps user documents, edges, bind variables and query results with the application's (unshaded) Jackson, so
 * typed documents use ordinary {@code com.fasterxml.jackson} annotations ({@code @JsonProperty("_key")}). java.time
 * values are ISO-8601 strings; unknown attributes ({@code _id}, {@code _rev}, …) are ignored on read. JSON that does
 * not fit the type is a {@link DocumentMappingException} (the caller's problem); bytes that are not JSON at all are a
 * {@link MalformedResponseException} (a broken path to the server). Thread-safe.
 */
public final class JacksonDocumentSerde implements ArangoSerde {
    private final ObjectMapper mapper;

    public JacksonDocumentSerde(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The mapper used for documents by default. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public byte[] serialize(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new DocumentMappingException("cannot map " + value.getClass().getName() + " to JSON: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public <T> T deserialize(byte[] content, Class<T> type) {
        try {
            return mapper.readValue(content, type);
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            // not JSON at all: something other than ArangoDB answered
            throw new MalformedResponseException("the answer is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DocumentMappingException("cannot map a document to " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
