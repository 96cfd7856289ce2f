package io.vectorsync.cli;

import io.vectorsync.cli.admin.AdminCommand;
import io.vectorsync.cli.documents.DeleteCommand;
import io.vectorsync.cli.documents.GetCommand;
import io.vectorsync.cli.documents.SearchCommand;
import io.vectorsync.cli.http.Api;
import io.vectorsync.cli.ingest.IngestCommand;
import io.vectorsync.cli.keys.KeysCommand;
import io.vectorsync.cli.store.StoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bin/vectorsync}: the project's command-line tool. Each area is a subcommand, some with subcommands of their
 * own ({@code store migrate}, {@code admin processors}); a new area is a class added to {@link Command#subcommands()}
 * here. The commands that talk to a running Vectorsync reach it through {@link #api} ({@code --url}, {@code --key}).
 * <p>
 * Exit codes: {@value #OK} done, {@value #FAILED} failed (a one-line message on standard error says why),
 * {@value #USAGE} wrong usage. Results go to standard output; progress, warnings and errors to standard error.
 */
@Command(name = "vectorsync",
        mixinStandardHelpOptions = true,
        versionProvider = VectorsyncCli.Version.class,
        description = "Vectorsync's command-line tool.",
        subcommands = {IngestCommand.class, SearchCommand.class, GetCommand.class, DeleteCommand.class,
                AdminCommand.class, KeysCommand.class, StoreCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 failed (a one-line message says why), 2 wrong usage."})
public final class VectorsyncCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private boolean verbose;
    private String url;
    private String key;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log what the libraries say (INFO and up) and print the stack trace of an error.")
    void verbose(boolean verbose) {
        this.verbose = verbose;
    }

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:VECTORSYNC_URL:-http://localhost:8080}",
            description = "Vectorsync's HTTP API (default: $VECTORSYNC_URL, else http://localhost:8080).")
    void url(String url) {
        this.url = url;
    }

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY", defaultValue = "${env:VECTORSYNC_KEY}",
            description = "The API key, sent as 'Authorization: Bearer <key>' (default: $VECTORSYNC_KEY).")
    void key(String key) {
        this.key = key;
    }

    /** The HTTP API the command line names with {@code --url} and {@code --key}. */
    public static Api api(CommandSpec spec) {
        VectorsyncCli root = (VectorsyncCli) spec.root().userObject();
        return new Api(root.url, root.key);
    }

    public static void main(String[] args) {
        quietLogging(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and answers its exit code; what it prints goes to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        VectorsyncCli root = new VectorsyncCli();
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("vectorsync: " + Errors.describe(e));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine where = e.getCommandLine();
            err.println("vectorsync: " + e.getMessage() + " (see '"
                    + where.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * HikariCP, Axon and the store log through java.util.logging; a command line shows only their warnings and
     * errors unless {@code --verbose} is among the arguments.
     */
    private static void quietLogging(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                verbose = true;
            }
        }
        Logger root = Logger.getLogger("");
        Level level = verbose ? Level.INFO : Level.WARNING;
        root.setLevel(level);
        for (var handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }

    /** The version the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = VectorsyncCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // no version to show is not worth failing for
            }
            return new String[]{"vectorsync " + properties.getProperty("version", "(unknown version)"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"};
        }
    }
}
