package io.vectorsync.domain;

import java.util.regex.Pattern;

/**
 * Identity rules of a document: a tenant plus the content system's own document id.
 * The aggregate identifier joins both with a slash, which a tenant can never contain.
 */
public final class DocumentIds {

    public static final int MAX_TENANT_LENGTH = 63;
    public static final int MAX_DOCUMENT_ID_LENGTH = 200;
    static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9._~:@-]{1,200}");

    private DocumentIds() {
    }

    public static String aggregateId(String tenant, String documentId) {
        return tenant + "/" + documentId;
    }

    /** Throws {@link InvalidInputException} naming {@code tenant} when the tenant is malformed. */
    public static void requireValidTenant(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new InvalidInputException("tenant", "is required");
        }
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidInputException("tenant",
                    "must be 1-63 characters of lower-case letters, digits and '-', starting with a letter or digit");
        }
    }

    /** Throws {@link InvalidInputException} naming {@code documentId} when the id is malformed. */
    public static void requireValidDocumentId(String documentId) {
        if (documentId == null || documentId.isEmpty()) {
            throw new InvalidInputException("documentId", "is required");
        }
        if (documentId.length() > MAX_DOCUMENT_ID_LENGTH) {
            throw new InvalidInputException("documentId", "must be at most 200 characters");
        }
        if (!DOCUMENT_ID.matcher(documentId).matches() || documentId.equals(".") || documentId.equals("..")) {
            throw new InvalidInputException("documentId",
                    "may contain only letters, digits and . _ ~ : @ -");
        }
    }
}
