package io.vectorsync.projections.versions;

import java.util.Arrays;

/** What a version of a space's index is for. */
public enum Role {
    /** The one searches read and the {@code vector-index} processor writes. */
    LIVE("live"),
    /** Being built: its processor replays the whole log into it (and keeps following it). */
    BUILDING("building"),
    /** Was live; follows the log from the moment it stopped being live, for a rollback (a swap back). */
    PREVIOUS("previous"),
    /** Built from the events up to a cut (a position or a time), read-only, searched by number; never live. */
    POINT_IN_TIME("pointInTime");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** As the registry stores it and the admin API shows it. */
    public String wireName() {
        return wireName;
    }

    public static Role of(String wireName) {
        return Arrays.stream(values()).filter(role -> role.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown index version role '" + wireName + "'"));
    }
}
