package io.vectorsync.cli.documents;

import picocli.CommandLine.Option;

/** {@code --tenant T}, which every document command needs. */
public final class TenantOption {

    @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT",
            description = "The tenant (1-63 lower-case letters, digits and -).")
    String tenant;

    public String tenant() {
        return tenant;
    }

    /** {@code /v1/tenants/<tenant>}. */
    public String path() {
        return "/v1/tenants/" + io.vectorsync.cli.http.Api.segment(tenant);
    }
}
