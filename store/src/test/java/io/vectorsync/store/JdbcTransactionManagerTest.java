package io.vectorsync.store;

import org.axonframework.common.transaction.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The actions that run just before a commit (keys before the events sealed with them, issue 21). */
class JdbcTransactionManagerTest {

    @TempDir
    Path dataDir;

    private EventStoreDatabase database;
    private JdbcTransactionManager transactions;

    @BeforeEach
    void open() throws SQLException {
        database = EventStoreDatabase.openH2(dataDir);
        transactions = database.transactionManager();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE Written (name VARCHAR(20))");
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void actionsRunAfterTheWritesAndBeforeTheCommitInOrder() throws SQLException {
        List<String> ran = new ArrayList<>();
        transactions.beforeEachCommit(() -> ran.add("every commit"));
        assertThat(transactions.beforeCommit(() -> ran.add("outside"))).as("no transaction: nothing registered").isFalse();

        Transaction transaction = transactions.startTransaction();
        write("a");
        assertThat(transactions.beforeCommit(() -> ran.add("first"))).isTrue();
        Transaction joined = transactions.startTransaction();
        transactions.beforeCommit(() -> ran.add("second, from a joined transaction"));
        joined.commit();
        assertThat(ran).as("a joined transaction commits with the outer one").isEmpty();
        transaction.commit();

        assertThat(ran).containsExactly("first", "second, from a joined transaction", "every commit");
        assertThat(rows()).containsExactly("a");

        ran.clear();
        transactions.startTransaction().commit();
        assertThat(ran).as("a transaction's own actions end with it").containsExactly("every commit");
    }

    @Test
    void aFailingActionRollsTheTransactionBack() throws SQLException {
        Transaction transaction = transactions.startTransaction();
        write("lost");
        transactions.beforeCommit(() -> {
            throw new IllegalStateException("key storage unavailable");
        });

        assertThatThrownBy(transaction::commit).hasMessage("key storage unavailable");
        assertThat(rows()).isEmpty();
        Transaction next = transactions.startTransaction();
        write("kept");
        next.commit();
        assertThat(rows()).containsExactly("kept");
    }

    private void write(String name) throws SQLException {
        try (Connection connection = transactions.connectionProvider().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO Written VALUES ('" + name + "')");
        }
    }

    private List<String> rows() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM Written")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
