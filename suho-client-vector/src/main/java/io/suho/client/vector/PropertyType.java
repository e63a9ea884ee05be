package io.suho.client.vector;

/** The data type of a collection property, as Weaviate names it ({@link #weaviateName()}). */
public enum PropertyType {
    TEXT("text"),
    TEXT_ARRAY("text[]"),
    INT("int"),
    INT_ARRAY("int[]"),
    NUMBER("number"),
    NUMBER_ARRAY("number[]"),
    BOOLEAN("boolean"),
    DATE("date"),
    UUID("uuid");

    private final String weaviateName;

    PropertyType(String weaviateName) {
        this.weaviateName = weaviateName;
    }

    /** The data type name in Weaviate's schema ({@code text}, {@code int[]}, …). */
    public String weaviateName() {
        return weaviateName;
    }
}
