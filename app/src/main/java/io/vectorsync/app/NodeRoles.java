package io.vectorsync.app;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process does ({@code vectorsync.node.roles}): {@code all} (the default), or any of
 * <ul>
 *   <li>{@code command}: the command API and the appends;</li>
 *   <li>{@code projector}: the encoder, the index and cache processors, and the processors feeding index versions;</li>
 *   <li>{@code query}: the query API and the read-your-writes gate;</li>
 *   <li>{@code admin}: the admin API and the console.</li>
 * </ul>
 */
public record NodeRoles(Set<Role> roles) {

    public enum Role { COMMAND, PROJECTOR, QUERY, ADMIN }

    static final NodeRoles ALL = new NodeRoles(EnumSet.allOf(Role.class));

    public NodeRoles {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("vectorsync.node.roles: name at least one role");
        }
        roles = Set.copyOf(roles);
    }

    /** Parses a comma-separated list such as {@code command,query}, or {@code all}. */
    static NodeRoles parse(String text) {
        List<String> names = Arrays.stream(text.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).toList();
        if (names.equals(List.of("all"))) {
            return ALL;
        }
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vectorsync.node.roles: '" + name + "' is not a role; use all, or "
                        + "any of command, projector, query, admin", e);
            }
        }
        return new NodeRoles(roles);
    }

    boolean has(Role role) {
        return roles.contains(role);
    }

    boolean all() {
        return roles.size() == Role.values().length;
    }

    @Override
    public String toString() {
        return all() ? "all" : roles.stream().sorted().map(role -> role.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(","));
    }
}
