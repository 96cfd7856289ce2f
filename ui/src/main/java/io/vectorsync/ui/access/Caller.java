package io.vectorsync.ui.access;

import java.util.Set;

/**
 * Who sent a request, as the front door established it: the key's id and name, its role and tenants, and whether
 * it came through a console session (whose changes must carry the session's CSRF token). {@link #LOCAL} is
 * everyone while the server runs without keys (loopback only).
 */
record Caller(String keyId, String name, Role role, Set<String> tenants, boolean viaSession) {

    public static final String ALL_TENANTS = "*";
    public static final Caller LOCAL = new Caller(null, "local (no keys configured)", Role.ADMIN,
            Set.of(ALL_TENANTS), false);

    public Caller {
        tenants = Set.copyOf(tenants);
    }

    /** Whether this caller may do what a route needs, on the tenant the path names (null when it names none). */
    boolean may(AccessPolicy.Need need, String tenant) {
        return switch (need) {
            case PUBLIC, AUTHENTICATED -> true;
            case ADMIN -> role == Role.ADMIN;
            case WRITE_TENANT -> role != Role.READER && reaches(tenant);
            case READ_TENANT -> reaches(tenant);
        };
    }

    private boolean reaches(String tenant) {
        return role == Role.ADMIN || tenants.contains(ALL_TENANTS) || tenant != null && tenants.contains(tenant);
    }

    Caller inSession() {
        return new Caller(keyId, name, role, tenants, true);
    }
}
